import pytest
from django.urls import reverse

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import email_add, function_grant
from tests.factories.people import PASSWORD, make_person
from tests.factories.referential import region

pytestmark = pytest.mark.django_db
LOGIN = "/compte/connexion/"


def test_login_page_is_in_french_even_for_an_english_browser(client_fr):
    response = client_fr.get(LOGIN)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in page
    assert "Connexion à SIIMOP" in page
    assert "Adresse e-mail" in page
    assert "Mot de passe" in page
    assert 'for="id_username"' in page and 'for="id_password"' in page


def test_signing_in_with_the_primary_address_lands_on_the_home_with_functions(client):
    person = make_person(email="claire.dumont@ars.sante.fr", first_name="Claire")
    function_grant(
        person=person,
        role=Role.ARS,
        start_date=person.created_at.date(),
        region=region("84"),
        by=SYSTEM,
    )
    response = client.post(
        LOGIN,
        {"username": "claire.dumont@ars.sante.fr", "password": PASSWORD},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cockpit:home")
    assert "Vous travaillez en tant qu'<strong>agent ARS" in page
    assert "Auvergne-Rhône-Alpes" in page
    assert person.full_name in page


def test_any_address_of_the_person_signs_in_whatever_its_case(client):
    person = make_person(email="p.garnier@univ-lyon1.fr")
    email_add(
        person=person, email="pierre.garnier@chu-lyon.fr", verified=True, by=SYSTEM
    )
    response = client.post(
        LOGIN, {"username": "Pierre.Garnier@CHU-Lyon.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user == person.user


def test_wrong_password_shows_a_clear_french_error_and_does_not_sign_in(client):
    make_person(email="claire@exemple.fr")
    response = client.post(LOGIN, {"username": "claire@exemple.fr", "password": "non"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in page
    assert not response.wsgi_request.user.is_authenticated


def test_unknown_address_gets_the_same_error_as_a_wrong_password(client):
    response = client.post(LOGIN, {"username": "inconnu@exemple.fr", "password": "x"})
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_deactivated_account_cannot_sign_in(client):
    person = make_person(email="parti@exemple.fr")
    person.user.is_active = False
    person.user.save()
    response = client.post(
        LOGIN, {"username": "parti@exemple.fr", "password": PASSWORD}
    )
    assert not response.wsgi_request.user.is_authenticated


def test_logout_signs_out_and_returns_to_the_login_page(client):
    person = make_person()
    client.force_login(person.user)
    response = client.post(reverse("identity:logout"))
    assert response.status_code == 302
    assert response.url == reverse("identity:login")
    assert client.get(reverse("cockpit:home")).status_code == 302
