"""Open Badges 2.0 hosted verification: the Issuer, BadgeClass and Assertion documents
at stable public URLs, the recipient's e-mail hashed with a salt, and the assertion
baked into the badge's SVG image."""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

from domains.cockpit.links import absolute_url

from .models import BadgeAward, CoursePage

CONTEXT = "https://w3id.org/openbadges/v2"


def _url(name: str, *args) -> str:
    return absolute_url(f"courses:{name}", *args)


def issuer() -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": _url("issuer"),
        "name": "UNESS — SIIMOP",
        "url": absolute_url("/"),
        "email": "assistance@uness.fr",
        "revocationList": _url("revocations"),
    }


def badge_class(course: CoursePage) -> dict:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": _url("badge_class", course.pk),
        "name": course.badge_name,
        "description": course.badge_description or course.summary,
        "image": _url("badge_image", course.pk),
        "criteria": {
            "id": absolute_url(course),
            "narrative": "Voir toutes les leçons et réussir chaque quiz de la formation.",
        },
        "issuer": _url("issuer"),
    }


def hashed_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def assertion(award: BadgeAward) -> dict:
    enrolment = award.enrolment
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": _url("assertion", award.uid),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": hashed_identity(enrolment.user.email, award.salt),
        },
        "badge": _url("badge_class", enrolment.course_id),
        "verification": {"type": "hosted"},
        "issuedOn": award.issued_on.isoformat(),
        "evidence": {
            "id": _url("verify", award.uid),
            "narrative": f"Formation « {enrolment.course.title} » terminée le "
            f"{enrolment.completed_at:%d/%m/%Y}.",
        },
    }
    if award.expires:
        document["expires"] = award.expires.isoformat()
    if award.revoked_at:
        document["revoked"] = True
        document["revocationReason"] = award.revocation_reason
    return document


def image_svg(course: CoursePage, baked: dict | None = None) -> str:
    """The badge image; `baked` puts the assertion inside, as Open Badges baking for
    SVG specifies (an openbadges:assertion element with a verify attribute)."""
    payload = ""
    if baked is not None:
        import json

        payload = (
            f'<openbadges:assertion verify="{escape(baked["id"])}">'
            f"<![CDATA[{json.dumps(baked, ensure_ascii=False)}]]>"
            "</openbadges:assertion>"
        )
    name = escape(course.badge_name)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"'
        ' width="240" height="240" viewBox="0 0 240 240" role="img"'
        f' aria-label="{name}">{payload}'
        '<circle cx="120" cy="120" r="110" fill="#000091"/>'
        '<circle cx="120" cy="120" r="92" fill="none" stroke="#fff" stroke-width="4"/>'
        '<text x="120" y="112" text-anchor="middle" fill="#fff" font-size="22"'
        ' font-family="Marianne, Arial, sans-serif">SIIMOP</text>'
        '<text x="120" y="142" text-anchor="middle" fill="#fff" font-size="12"'
        f' font-family="Marianne, Arial, sans-serif">{escape(course.badge_name[:30])}</text>'
        "</svg>"
    )
