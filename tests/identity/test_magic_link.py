"""The e-mail door: a signed link, 15 minutes, once, to the address it was sent to."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from domains.identity.models import SignInEvent
from domains.people.permissions import SYSTEM
from domains.people.services import email_add, email_remove
from tests.conftest import page_text
from tests.factories.people import PASSWORD, make_person

pytestmark = pytest.mark.django_db
ASK = "/compte/lien/"


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def request_link(email: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(ASK, {"email": email})

    return request_link


def link_path() -> str:
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return "/" + url.split("/", 3)[3]


def test_known_and_unknown_addresses_get_the_same_answer(ask):
    make_person(email="sophie.moreau@chu-lyon.fr")
    known = page_text(ask("sophie.moreau@chu-lyon.fr"))
    unknown = page_text(ask("personne@nulle-part.fr"))
    assert known.replace("sophie.moreau@chu-lyon.fr", "X") == unknown.replace(
        "personne@nulle-part.fr", "X"
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sophie.moreau@chu-lyon.fr"]
    assert SignInEvent.objects.filter(kind="no_account", login="personne@nulle-part.fr")


def test_the_link_signs_in_after_a_click_and_is_logged(client, ask):
    person = make_person(email="sophie.moreau@chu-lyon.fr")
    ask("Sophie.Moreau@CHU-Lyon.fr")
    path = link_path()
    assert "valable 15 minutes" in mail.outbox[0].body
    # Opening the link (or a mail scanner doing so) signs nobody in.
    page = page_text(client.get(path))
    assert "Me connecter à SIIMOP" in page
    assert not client.get("/cockpit/").wsgi_request.user.is_authenticated
    response = client.post(path)
    assert response.status_code == 302 and response.url == "/cockpit/"
    assert client.get("/cockpit/").wsgi_request.user == person.user
    event = SignInEvent.objects.get(kind="success")
    assert (event.user, event.method, event.ip) == (
        person.user,
        "magic_link",
        "127.0.0.1",
    )


def test_a_link_works_once(client, ask):
    make_person(email="sophie.moreau@chu-lyon.fr")
    ask("sophie.moreau@chu-lyon.fr")
    path = link_path()
    client.post(path)
    client.logout()
    response = client.post(path)
    assert response.status_code == 400
    assert "a déjà servi" in page_text(response)


def test_a_link_expires_after_15_minutes(client, ask):
    make_person(email="sophie.moreau@chu-lyon.fr")
    ask("sophie.moreau@chu-lyon.fr")
    later = time.time() + 16 * 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(link_path())
    assert response.status_code == 400
    assert "a expiré (15 minutes)" in page_text(response)


def test_a_tampered_link_is_refused(client, ask):
    make_person(email="sophie.moreau@chu-lyon.fr")
    ask("sophie.moreau@chu-lyon.fr")
    path = link_path()
    tampered = path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:]
    response = client.post(tampered)
    assert response.status_code == 400
    assert "n'est pas valide" in page_text(response)
    assert not response.wsgi_request.user.is_authenticated


def test_a_link_dies_when_its_address_leaves_the_account(client, ask):
    person = make_person(email="sophie.moreau@chu-lyon.fr")
    extra = email_add(
        person=person, email="s.moreau@gmail.com", verified=True, by=SYSTEM
    )
    ask("s.moreau@gmail.com")
    path = link_path()
    email_remove(address=extra, by=SYSTEM)
    response = client.post(path)
    assert "n'est plus rattachée à votre compte" in page_text(response)


def test_a_link_dies_once_the_person_signed_in_another_way(client, ask):
    person = make_person(email="sophie.moreau@chu-lyon.fr")
    ask("sophie.moreau@chu-lyon.fr")
    path = link_path()
    person.user.last_login = timezone.now() + timedelta(seconds=1)
    person.user.save()
    response = client.post(path)
    assert "Vous vous êtes connecté autrement" in page_text(response)


def test_password_failures_and_sign_ins_are_in_the_audit_log(client):
    person = make_person(email="claire@exemple.fr")
    client.post(
        "/compte/connexion/", {"username": "claire@exemple.fr", "password": "x"}
    )
    client.post(
        "/compte/connexion/", {"username": "claire@exemple.fr", "password": PASSWORD}
    )
    kinds = list(SignInEvent.objects.order_by("at").values_list("kind", "login"))
    assert kinds == [("failure", "claire@exemple.fr"), ("success", "claire@exemple.fr")]
    page = page_text(client.get("/cockpit/mes-informations/connexions/"))
    assert "Mot de passe" in page and "127.0.0.1" in page
    # The failure counts against her (the lock is per person), like the success.
    assert list(person.user.sign_in_events.values_list("kind", flat=True)) == [
        "success",
        "failure",
    ]


def test_password_reset_sends_a_french_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    person = make_person(email="claire@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/mot-de-passe/", {"email": "claire@exemple.fr"})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    assert "choisir un nouveau mot de passe" in body
    path = "/" + re.search(r"https?://\S+", body).group(0).split("/", 3)[3]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Une-phrase-de-passe-2026",
            "new_password2": "Une-phrase-de-passe-2026",
        },
    )
    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.check_password("Une-phrase-de-passe-2026")


def test_five_failed_passwords_lock_the_login_until_an_admin_unlocks(client):
    from domains.identity.services import sign_in_unlock

    make_person(email="claire@exemple.fr")
    for _ in range(5):
        client.post(
            "/compte/connexion/", {"username": "claire@exemple.fr", "password": "x"}
        )
    response = client.post(
        "/compte/connexion/", {"username": "claire@exemple.fr", "password": PASSWORD}
    )
    assert "Trop de tentatives infructueuses" in page_text(response)
    assert not response.wsgi_request.user.is_authenticated
    # An unknown login is locked the same way: the lock reveals nothing.
    for _ in range(5):
        client.post(
            "/compte/connexion/", {"username": "inconnu@exemple.fr", "password": "x"}
        )
    response = client.post(
        "/compte/connexion/", {"username": "inconnu@exemple.fr", "password": "x"}
    )
    assert "Trop de tentatives infructueuses" in page_text(response)
    sign_in_unlock(login="claire@exemple.fr")
    response = client.post(
        "/compte/connexion/", {"username": "claire@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_one_ip_trying_many_logins_is_locked(client):
    for i in range(20):
        client.post(
            "/compte/connexion/", {"username": f"u{i}@exemple.fr", "password": "x"}
        )
    make_person(email="claire@exemple.fr")
    response = client.post(
        "/compte/connexion/", {"username": "claire@exemple.fr", "password": PASSWORD}
    )
    assert "Trop de tentatives infructueuses" in page_text(response)


def test_link_requests_are_throttled_alike_for_known_and_unknown_addresses(ask):
    make_person(email="sophie.moreau@chu-lyon.fr")
    for email in ("sophie.moreau@chu-lyon.fr", "personne@nulle-part.fr"):
        for _ in range(5):
            assert ask(email).status_code == 200
        response = ask(email)
        assert response.status_code == 429
        assert "Trop de demandes de lien" in page_text(response)
    assert len(mail.outbox) == 5


def test_closing_other_sessions_signs_out_the_other_browsers_only(client):
    from django.test import Client

    make_person(email="claire@exemple.fr")
    other = Client()
    for browser in (client, other):
        browser.post(
            "/compte/connexion/",
            {"username": "claire@exemple.fr", "password": PASSWORD},
        )
    assert other.get("/cockpit/").status_code == 200
    client.post("/compte/sessions/fermer/")
    assert client.get("/cockpit/").status_code == 200
    response = other.get("/cockpit/")
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")
