"""Open Badges 2.0: completing a course awards its badge as a hosted assertion whose
required fields are present and whose URLs resolve; the recipient is a salted hash;
the baked image carries the assertion; revoked assertions say so."""

import base64
import hashlib
import hmac
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.core.exceptions import ValidationError

from courses.credentials import verify as verify_credential
from courses.models import BadgeAward
from courses.services import badge_revoke
from tests.factories.courses import make_course

pytestmark = [
    pytest.mark.django_db,
    # joserfc recalls RFC 9864's new name for EdDSA on each use (courses/credentials.py)
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
]
REQUIRED = {"@context", "type", "id", "recipient", "badge", "verification", "issuedOn"}


@pytest.fixture
def award(client, resident):
    course, lessons, quiz = make_course()
    client.force_login(resident)
    client.post(f"/apprendre/inscription/{course.pk}/")
    for lesson in lessons:
        client.get(lesson.url)
    client.post(quiz.url, {"q0": "0", "q1": ["0", "1"]})
    client.logout()
    return BadgeAward.objects.get()


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_assertion_is_complete_and_its_urls_resolve(client, award):
    response = client.get(f"/apprendre/badges/{award.uid}.json")
    assertion = response.json()
    assert response.status_code == 200 and set(assertion) >= REQUIRED
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert (
        assertion["type"] == "Assertion"
        and assertion["verification"]["type"] == "hosted"
    )
    assert _path(assertion["id"]) == f"/apprendre/badges/{award.uid}.json"
    recipient = assertion["recipient"]
    email = award.enrolment.user.email.lower()
    expected = hashlib.sha256((email + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": award.salt,
        "identity": f"sha256${expected}",
    }
    assert email not in json.dumps(assertion)  # only the salted hash
    badge = client.get(_path(assertion["badge"])).json()
    assert {
        "@context",
        "type",
        "id",
        "name",
        "description",
        "image",
        "criteria",
        "issuer",
    } <= set(badge)
    assert badge["name"] == "Cockpit : les bases"
    issuer = client.get(_path(badge["issuer"])).json()
    assert issuer["type"] == "Issuer" and {"id", "name", "url"} <= set(issuer)
    image = client.get(_path(badge["image"]))
    assert image["Content-Type"] == "image/svg+xml"
    page = client.get(_path(assertion["evidence"]["id"])).content.decode()
    assert "Badge valide" in page and "Cockpit : les bases" in page


def test_the_baked_image_carries_the_assertion_for_its_holder_only(
    client, award, people
):
    client.force_login(award.enrolment.user)
    svg = client.get(f"/apprendre/badges/{award.uid}/badge.svg").content.decode()
    verify_url = re.search(r'<openbadges:assertion verify="([^"]+)">', svg).group(1)
    baked = json.loads(re.search(r"<!\[CDATA\[(.*)\]\]>", svg, re.S).group(1))
    assert verify_url == baked["id"] and baked["type"] == "Assertion"
    assert (
        f"/apprendre/badges/{award.uid}/"
        in client.get(award.enrolment.course.url).content.decode()
    )
    client.force_login(people.resident_elsewhere)
    assert client.get(f"/apprendre/badges/{award.uid}/badge.svg").status_code == 404


def test_a_revoked_badge_says_so_everywhere(client, award, uness_admin):
    with pytest.raises(ValidationError, match="Seule l'UNESS"):
        badge_revoke(by=award.enrolment.user, award=award, reason="x")
    badge_revoke(
        by=uness_admin,
        award=award,
        reason="Quiz passé par un tiers",
    )
    response = client.get(f"/apprendre/badges/{award.uid}.json")
    assert response.status_code == 410
    assert response.json()["revoked"] is True
    assert response.json()["revocationReason"] == "Quiz passé par un tiers"
    assert (
        "Badge révoqué le"
        in client.get(f"/apprendre/badges/{award.uid}/").content.decode()
    )
    revoked = client.get("/apprendre/badges/revocations.json").json()[
        "revokedAssertions"
    ]
    assert [_path(r["id"]) for r in revoked] == [f"/apprendre/badges/{award.uid}.json"]


def test_no_badge_before_completion(client, resident):
    course, lessons, _quiz = make_course()
    client.force_login(resident)
    client.post(f"/apprendre/inscription/{course.pk}/")
    for lesson in lessons:
        client.get(lesson.url)
    assert not BadgeAward.objects.exists()


def test_the_ob3_credential_verifies_with_the_public_key_and_not_once_altered(
    client, award
):
    token = client.get(f"/apprendre/badges/{award.uid}/credential.jwt").content.decode()
    [jwk] = client.get("/apprendre/badges/cle.json").json()["keys"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    document = verify_credential(token, jwk)  # offline: only the key is needed
    assert "OpenBadgeCredential" in document["type"]
    assert document["credentialSubject"]["achievement"]["name"] == "Cockpit : les bases"
    header, payload, signature = token.split(".")
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(ValueError, match="Signature invalide"):
        verify_credential(f"{header}.{tampered}.{signature}", jwk)
    other_key = {**jwk, "x": jwk["x"][::-1]}
    with pytest.raises(ValueError):
        verify_credential(token, other_key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_ob3_credential_is_a_standard_eddsa_jws_any_verifier_reads(client, award):
    token = client.get(f"/apprendre/badges/{award.uid}/credential.jwt").content.decode()
    [jwk] = client.get("/apprendre/badges/cle.json").json()["keys"]
    header, payload, signature = token.split(".")
    assert json.loads(_unb64(header)) == {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": "http://testserver/apprendre/badges/cle.json",
    }
    assert jwk["kid"] == "http://testserver/apprendre/badges/cle.json"
    assert "d" not in jwk  # the private half is never published
    # An independent verifier: the raw Ed25519 signature over "header.payload".
    Ed25519PublicKey.from_public_bytes(_unb64(jwk["x"])).verify(
        _unb64(signature), f"{header}.{payload}".encode()
    )
    claims = json.loads(_unb64(payload))
    assert claims["jti"] == (
        f"http://testserver/apprendre/badges/{award.uid}/credential.jwt"
    )
    assert claims["iss"] == "http://testserver/apprendre/badges/emetteur.json"


def test_a_credential_forged_with_another_key_or_without_a_signature_is_refused(
    client, award
):
    token = client.get(f"/apprendre/badges/{award.uid}/credential.jwt").content.decode()
    [jwk] = client.get("/apprendre/badges/cle.json").json()["keys"]
    header, payload, _signature = token.split(".")
    forger = Ed25519PrivateKey.generate()
    forged = _b64(forger.sign(f"{header}.{payload}".encode()))
    with pytest.raises(ValueError, match="Signature invalide"):
        verify_credential(f"{header}.{payload}.{forged}", jwk)
    unsigned = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    with pytest.raises(ValueError, match="Signature invalide"):
        verify_credential(f"{unsigned}.{payload}.", jwk)
    # The public key used as an HMAC secret (algorithm confusion) proves nothing.
    hs256 = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    mac = hmac.new(jwk["x"].encode(), f"{hs256}.{payload}".encode(), "sha256")
    with pytest.raises(ValueError, match="Signature invalide"):
        verify_credential(f"{hs256}.{payload}.{_b64(mac.digest())}", jwk)
    with pytest.raises(ValueError, match="Signature invalide"):
        verify_credential("pas un jeton", jwk)


def _complete(client, user, course, lessons, quiz) -> None:
    client.force_login(user)
    client.post(f"/apprendre/inscription/{course.pk}/")
    for lesson in lessons:
        client.get(lesson.url)
    client.post(quiz.url, {"q0": "0", "q1": ["0", "1"]})


def test_learners_see_their_badges_and_their_perimeter_sees_who_holds_which(
    client, people
):
    course, lessons, quiz = make_course()
    rts = people.site_supervisor
    _complete(client, rts, course, lessons, quiz)
    mine = client.get("/cockpit/mes-informations/badges/").content.decode()
    assert "Cockpit : les bases" in mine and "attestation signée" in mine

    client.force_login(people.ars)
    team = client.get("/cockpit/badges-de-mon-perimetre/").content.decode()
    assert str(rts.person) in team and "Cockpit : les bases" in team
    client.force_login(people.ars_elsewhere)
    other = client.get("/cockpit/badges-de-mon-perimetre/").content.decode()
    assert str(rts.person) not in other
    assert "Aucun badge dans votre périmètre." in other
