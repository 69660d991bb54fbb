"""Open Badges 3.0: the award as an OpenBadgeCredential (W3C Verifiable Credential),
signed by the platform as a VC-JWT (EdDSA / Ed25519) with joserfc. Anyone verifies it
offline with the published public key (`public_jwk`)."""

from __future__ import annotations

import hashlib
import warnings
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from . import badges
from .models import BadgeAward

# EdDSA is not among joserfc's default algorithms: name it on both sides. RFC 9864
# renames it "Ed25519" (the same signature), which joserfc recalls on each use; the
# credentials keep "EdDSA", the name Open Badges verifiers know.
ALGORITHMS = ["EdDSA"]
warnings.filterwarnings("ignore", "EdDSA is deprecated", SecurityWarning)


@lru_cache(maxsize=4)
def _load(pem: str, secret: str) -> OKPKey:
    if pem:
        return OKPKey.import_key(pem)
    seed = hashlib.sha256(f"{secret}:badges".encode()).digest()
    return OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(seed))


def signing_key() -> OKPKey:
    """settings.BADGE_SIGNING_KEY (Ed25519, PEM), which production requires
    (config/settings/prod.py); in development and tests, unset, a key derived from
    the SECRET_KEY."""
    return _load(settings.BADGE_SIGNING_KEY, settings.SECRET_KEY)


def public_jwk() -> dict:
    return {**signing_key().as_dict(private=False), "kid": badges._url("key")}


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
    header = {"alg": "EdDSA", "typ": "JWT", "kid": badges._url("key")}
    payload = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(award.issued_on.timestamp()),
        "sub": document["credentialSubject"]["identifier"][0]["identityHash"],
    }
    return jwt.encode(header, payload, signing_key(), algorithms=ALGORITHMS)


def verify(token: str, jwk: dict) -> dict:
    """The credential if the signature holds for this public key; raises ValueError
    otherwise (altered credential, another key, not a JWS)."""
    try:
        key = OKPKey.import_key(jwk)
        return jwt.decode(token, key, algorithms=ALGORITHMS).claims
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise ValueError("Signature invalide.") from error
