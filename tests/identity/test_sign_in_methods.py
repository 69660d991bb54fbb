"""MES INFORMATIONS > Connexions: my ways in, unlinking one, keeping at least one."""

import pytest

from domains.identity import dev_idp
from domains.identity.models import FederatedIdentity, SignInEvent
from tests.conftest import page_text
from tests.factories.people import make_person
from tests.identity.test_saml import sign_in_through_idp

pytestmark = pytest.mark.django_db
PAGE = "/cockpit/mes-informations/connexions/"
UNLINK = "/compte/methodes/retirer/"


def test_the_page_lists_my_methods_and_my_last_sign_ins(client):
    idp = dev_idp.register()
    person = make_person(email="claire.durand@univ-lyon1.fr")
    sign_in_through_idp(
        client, idp, eppn="cdurand@univ-lyon1.fr", mail="claire.durand@univ-lyon1.fr"
    )
    page = page_text(client.get(PAGE))
    assert "Mot de passe UNESS" in page and "cdurand@univ-lyon1.fr" in page
    assert "Identité universitaire" in page
    assert person.user.sign_in_events.filter(kind="success", method="saml").exists()
    assert "127.0.0.1" in page


def test_unlinking_down_to_one_method_then_refused(client):
    person = make_person(email="paul.roux@chu-lyon.fr")
    client.force_login(person.user)
    client.post(UNLINK, {"method": "password"})
    person.user.refresh_from_db()
    assert not person.user.has_usable_password()
    # Still signed in here: removing the password did not end this session.
    assert client.get(PAGE).status_code == 200
    response = client.post(UNLINK, {"method": "magic_link"}, follow=True)
    assert "C'est votre dernier moyen de connexion" in page_text(response)
    person.user.refresh_from_db()
    assert person.user.magic_link_enabled
    assert SignInEvent.objects.filter(
        kind="unlinked", user=person.user, reason="mot de passe retiré"
    ).exists()


def test_a_disabled_magic_link_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    person = make_person(email="paul.roux@chu-lyon.fr")
    client.force_login(person.user)
    client.post(UNLINK, {"method": "magic_link"})
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/lien/", {"email": "paul.roux@chu-lyon.fr"})
    assert mail.outbox == []


def test_a_university_identity_is_linked_from_the_page_and_unlinked(client):
    idp = dev_idp.register()
    person = make_person(email="paul.roux@chu-lyon.fr")
    client.force_login(person.user)
    response = client.post("/compte/universite/relier/")
    assert response.url.startswith("/compte/universite/")
    # Different address at the university: linking is what makes it his.
    response = sign_in_through_idp(
        client, idp, eppn="proux@univ-lyon1.fr", mail="p.roux@etu.univ-lyon1.fr"
    )
    assert response.url == PAGE
    link = FederatedIdentity.objects.get(person=person)
    assert "proux@univ-lyon1.fr est rattachée" in page_text(client.get(PAGE))

    client.post(UNLINK, {"method": "saml", "identity": link.pk})
    assert not FederatedIdentity.objects.exists()


def test_an_identity_of_someone_else_is_not_linked_to_me(client):
    idp = dev_idp.register()
    owner = make_person(email="claire.durand@univ-lyon1.fr")
    sign_in_through_idp(
        client, idp, eppn="cdurand@univ-lyon1.fr", mail="claire.durand@univ-lyon1.fr"
    )
    client.logout()
    me = make_person(email="paul.roux@chu-lyon.fr")
    client.force_login(me.user)
    client.post("/compte/universite/relier/")
    response = sign_in_through_idp(client, idp, eppn="cdurand@univ-lyon1.fr")
    assert "déjà rattachée à un autre compte" in page_text(client.get(response.url))
    assert FederatedIdentity.objects.get().person == owner


def test_someone_else_s_identity_cannot_be_unlinked(client):
    owner = make_person()
    link = FederatedIdentity.objects.create(person=owner, issuer="x", subject="y")
    me = make_person()
    client.force_login(me.user)
    client.post(UNLINK, {"method": "saml", "identity": link.pk})
    assert FederatedIdentity.objects.filter(pk=link.pk).exists()
