"""TOTP second factor: anyone may turn it on; national administrators must."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from domains.identity.models import SignInEvent
from tests.conftest import page_text
from tests.factories.people import PASSWORD, make_person

pytestmark = pytest.mark.django_db
SETUP = "/compte/deuxieme-facteur/activer/"


def code_for(user, drift: int = 0) -> str:
    """The code the phone shows now (drift=1: the next one; a code is never reused)."""
    device = TOTPDevice.objects.filter(user=user).latest("id")
    return f"{totp(device.bin_key, drift=drift):06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def sign_in(client, email):
    return client.post("/compte/connexion/", {"username": email, "password": PASSWORD})


def enable(client, user):
    page = page_text(client.get(SETUP))
    assert re.search(r"data-totp-secret>[A-Z2-7]{16,}<", page)
    response = client.post(SETUP, {"code": code_for(user)})
    assert response.status_code == 302


def test_a_person_turns_it_on_with_a_first_good_code(client):
    person = make_person(email="claire@exemple.fr")
    sign_in(client, "claire@exemple.fr")
    client.get(SETUP)
    response = client.post(SETUP, {"code": wrong(code_for(person.user))})
    assert "Code incorrect" in page_text(response)
    assert not TOTPDevice.objects.filter(user=person.user, confirmed=True).exists()
    enable(client, person.user)
    assert TOTPDevice.objects.filter(user=person.user, confirmed=True).exists()
    assert SignInEvent.objects.filter(kind="totp_enabled", user=person.user).exists()
    page = " ".join(
        page_text(client.get("/cockpit/mes-informations/connexions/")).split()
    )
    assert "Code à usage unique : <strong>activée" in page


def test_once_on_every_sign_in_asks_for_the_code(client):
    person = make_person(email="claire@exemple.fr")
    sign_in(client, "claire@exemple.fr")
    enable(client, person.user)
    client.logout()
    sign_in(client, "claire@exemple.fr")
    response = client.get("/cockpit/")
    assert response.status_code == 302
    assert response.url.startswith("/compte/deuxieme-facteur/")
    response = client.post(response.url, {"code": wrong(code_for(person.user))})
    assert "Code incorrect." in page_text(response)
    assert client.get("/cockpit/personnes/").status_code == 302
    response = client.post(
        "/compte/deuxieme-facteur/?next=/cockpit/",
        {"code": code_for(person.user, drift=1)},
    )
    assert response.url == "/cockpit/"
    assert client.get("/cockpit/").status_code == 200


def test_national_administrators_must_set_it_up_first(client, dgos):
    client.force_login(dgos)
    response = client.get("/cockpit/etablissements/")
    assert response.status_code == 302 and response.url == SETUP
    assert client.get("/admin/").url == SETUP
    assert "Votre fonction nationale exige une double authentification" in page_text(
        client.get(SETUP)
    )
    enable(client, dgos)
    assert client.get("/cockpit/etablissements/").status_code == 200


def test_others_are_not_forced(client, resident):
    client.force_login(resident)
    assert client.get("/cockpit/").status_code == 200


def test_wrong_codes_are_throttled(client):
    person = make_person(email="claire@exemple.fr")
    sign_in(client, "claire@exemple.fr")
    enable(client, person.user)
    client.logout()
    sign_in(client, "claire@exemple.fr")
    good = code_for(person.user, drift=1)
    for _ in range(5):
        client.post("/compte/deuxieme-facteur/", {"code": wrong(good)})
    response = client.post("/compte/deuxieme-facteur/", {"code": good})
    assert "Trop de codes incorrects" in page_text(response)
    assert client.get("/cockpit/").status_code == 302
