"""Open Badges 3.0: the award as an OpenBadgeCredential (W3C Verifiable Credential),
signed by the platform as a VC-JWT (EdDSA / Ed25519). Anyone verifies it offline with
the published public key (`public_jwk`)."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

from . import badges
from .models import BadgeAward


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    """settings.BADGE_SIGNING_KEY (PEM) in production; otherwise derived from the
    SECRET_KEY, so that a deployment keeps one key across restarts."""
    pem = getattr(settings, "BADGE_SIGNING_KEY", "")
    if pem:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    seed = hashlib.sha256(f"{settings.SECRET_KEY}:badges".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_jwk() -> dict:
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64(raw), "kid": badges._url("key")}


def credential(award: BadgeAward) -> dict:
    enrolment = award.enrolment
    course = enrolment.course
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": badges._url("credential", award.uid),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": badges._url("issuer"),
            "type": ["Profile"],
            "name": "UNESS — SIIMOP",
        },
        "validFrom": award.issued_on.isoformat(),
        "name": course.badge_name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": award.salt,
                    "identityHash": badges.hashed_identity(
                        enrolment.user.email, award.salt
                    ),
                }
            ],
            "achievement": {
                "id": badges._url("badge_class", course.pk),
                "type": ["Achievement"],
                "name": course.badge_name,
                "description": course.badge_description or course.summary,
                "criteria": {
                    "narrative": badges.badge_class(course)["criteria"]["narrative"]
                },
                "image": {"id": badges._url("badge_image", course.pk), "type": "Image"},
            },
        },
        "credentialStatus": {
            "id": badges._url("assertion", award.uid),
            "type": "1EdTechRevocationList",
        },
    }
    if award.expires:
        document["validUntil"] = award.expires.isoformat()
    return document


def signed(award: BadgeAward) -> str:
    """The credential as a compact JWS (VC-JWT)."""
    document = credential(award)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": public_jwk()["kid"]}
    payload = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(award.issued_on.timestamp()),
        "sub": document["credentialSubject"]["identifier"][0]["identityHash"],
    }
    signing_input = ".".join(
        _b64(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, payload)
    )
    signature = signing_key().sign(signing_input.encode())
    return f"{signing_input}.{_b64(signature)}"


def verify(token: str, jwk: dict) -> dict:
    """The credential if the signature holds for this public key; raises otherwise."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        key = Ed25519PublicKey.from_public_bytes(_unb64(jwk["x"]))
        key.verify(_unb64(signature_b64), f"{header_b64}.{payload_b64}".encode())
        return json.loads(_unb64(payload_b64))
    except (ValueError, InvalidSignature) as error:
        raise ValueError("Signature invalide.") from error
