"""PERSONNES ET FONCTIONS and MES INFORMATIONS."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from domains.people.models import EmailAddress, Person
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import email_add, function_grant
from tests.conftest import page_text
from tests.factories.people import make_person
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    region,
    subdivision,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def lyon_rts(name="Garnier"):
    person = make_person(last_name=name, email=f"{name.lower()}@chu-lyon.fr")
    function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=TODAY(),
        training_site=TrainingSiteFactory(),
        by=SYSTEM,
    )
    return person


def rennes_rts():
    person = make_person(last_name="Le Gall", email="legall@chu-rennes.fr")
    function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=TODAY(),
        training_site=TrainingSiteFactory(
            subdivision=subdivision("RENNES"),
            establishment=EstablishmentFactory(region=region("53")),
        ),
        by=SYSTEM,
    )
    return person


class TestPeopleList:
    def test_ars_sees_the_people_of_her_region_with_their_functions(self, client, ars):
        lyon_rts("Garnier")
        rennes_rts()
        page = page_text(client.get("/cockpit/personnes/"))
        assert "GARNIER" in page.upper() and "garnier@chu-lyon.fr" in page
        assert "Le Gall" not in page
        assert "Responsable de terrain de stage (RTS)" in page

    def test_search_by_email_and_filter_by_role(self, client, ars):
        lyon_rts("Garnier")
        lyon_rts("Perrin")
        page = page_text(client.get("/cockpit/personnes/", {"q": "perrin@chu"}))
        assert "perrin@chu-lyon.fr" in page and "garnier@chu-lyon.fr" not in page
        page = page_text(client.get("/cockpit/personnes/", {"role": Role.ARS}))
        assert "garnier@chu-lyon.fr" not in page


class TestGrantingFunctions:
    def test_ars_grants_a_function_within_her_region(self, client, ars):
        person = lyon_rts()
        response = client.post(
            f"/cockpit/personnes/{person.pk}/fonctions/ajouter/",
            {
                "role": Role.FACULTY_REGISTRY,
                "start_date": TODAY().isoformat(),
                "subdivision": subdivision("GRENOBLE").pk,
            },
        )
        assert response.status_code == 302
        assert person.functions.filter(role=Role.FACULTY_REGISTRY).exists()

    def test_ars_cannot_grant_outside_her_region_nor_a_national_role(self, client, ars):
        person = lyon_rts()
        response = client.post(
            f"/cockpit/personnes/{person.pk}/fonctions/ajouter/",
            {
                "role": Role.FACULTY_REGISTRY,
                "start_date": TODAY().isoformat(),
                "subdivision": subdivision("RENNES").pk,
            },
        )
        assert response.status_code == 200
        assert not person.functions.filter(role=Role.FACULTY_REGISTRY).exists()
        page = page_text(
            client.get(f"/cockpit/personnes/{person.pk}/fonctions/ajouter/")
        )
        assert "Coordonnateur de DES" in page and "DGOS (ministère)" not in page
        response = client.post(
            f"/cockpit/personnes/{person.pk}/fonctions/ajouter/",
            {"role": Role.DGOS, "start_date": TODAY().isoformat()},
        )
        assert response.status_code == 200
        assert not person.functions.filter(role=Role.DGOS).exists()

    def test_missing_perimeter_is_named(self, client, ars):
        person = lyon_rts()
        response = client.post(
            f"/cockpit/personnes/{person.pk}/fonctions/ajouter/",
            {"role": Role.ARS, "start_date": TODAY().isoformat()},
        )
        assert "exige un périmètre : région manquant(e)" in page_text(response)

    def test_ending_a_function_from_the_person_page(self, client, ars):
        person = lyon_rts()
        function = person.functions.get()
        client.post(f"/cockpit/personnes/{person.pk}/fonctions/{function.pk}/terminer/")
        function.refresh_from_db()
        assert function.end_date == TODAY()

    def test_creating_a_person_with_her_first_function(self, client, ars):
        response = client.post(
            "/cockpit/personnes/nouveau/",
            {
                "civility": "MME",
                "first_name": "Inès",
                "last_name": "Colin",
                "email": "ines.colin@univ-lyon1.fr",
                "role": Role.FACULTY_REGISTRY,
                "start_date": TODAY().isoformat(),
                "subdivision": subdivision("LYON").pk,
            },
        )
        assert response.status_code == 302
        person = Person.objects.get(last_name="Colin")
        assert person.functions.get().subdivision == subdivision("LYON")

    def test_a_refused_first_function_creates_no_person(self, client, ars):
        response = client.post(
            "/cockpit/personnes/nouveau/",
            {
                "civility": "MME",
                "first_name": "Inès",
                "last_name": "Colin",
                "email": "ines.colin@univ-lyon1.fr",
                "role": Role.FACULTY_REGISTRY,
                "start_date": TODAY().isoformat(),
                "subdivision": subdivision("RENNES").pk,
            },
        )
        assert response.status_code == 200
        assert not Person.objects.filter(last_name="Colin").exists()
        assert not EmailAddress.objects.filter(
            email="ines.colin@univ-lyon1.fr"
        ).exists()


class TestMyInformation:
    def test_a_person_updates_her_phone_and_it_is_in_her_history(self, client):
        person = make_person()
        client.force_login(person.user)
        response = client.post(
            "/cockpit/mes-informations/",
            {
                "civility": "MME",
                "first_name": "Alice",
                "last_name": person.last_name,
                "birth_name": "",
                "birth_date": "",
                "phone": "06 12 34 56 78",
            },
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.phone == "06 12 34 56 78"
        assert person.history.latest().history_user == person.user

    def test_adding_an_address_sends_a_link_that_verifies_it(
        self, client, django_capture_on_commit_callbacks
    ):
        person = make_person(email="alice@chu-lyon.fr")
        client.force_login(person.user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/cockpit/mes-informations/adresses/", {"email": "alice@univ-lyon1.fr"}
            )
        address = EmailAddress.objects.get(email="alice@univ-lyon1.fr")
        assert not address.is_verified
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["alice@univ-lyon1.fr"]
        link = re.search(r"https?://\S+", message.body).group(0)
        path = "/" + link.split("/", 3)[3]
        client.logout()
        page = page_text(client.get(path))
        assert "L'adresse alice@univ-lyon1.fr est vérifiée." in page
        address.refresh_from_db()
        assert address.is_verified

    def test_a_tampered_link_verifies_nothing(self, client):
        response = client.get("/cockpit/verifier-adresse/pas-un-jeton/")
        assert response.status_code == 400
        assert "n'est pas valide" in page_text(response)

    def test_only_a_verified_address_becomes_primary(self, client):
        person = make_person(email="alice@chu-lyon.fr")
        pending = email_add(person=person, email="alice@gmail.com", by=SYSTEM)
        client.force_login(person.user)
        response = client.post(
            f"/cockpit/mes-informations/adresses/{pending.pk}/principale/", follow=True
        )
        assert "Vérifiez d'abord l'adresse alice@gmail.com" in page_text(response)
        pending.is_verified = True
        pending.save()
        client.post(f"/cockpit/mes-informations/adresses/{pending.pk}/principale/")
        person.refresh_from_db()
        assert person.primary_email == "alice@gmail.com"

    def test_removing_asks_confirmation_and_never_the_primary(self, client):
        person = make_person(email="alice@chu-lyon.fr")
        extra = email_add(person=person, email="alice@gmail.com", by=SYSTEM)
        client.force_login(person.user)
        page = page_text(
            client.get(f"/cockpit/mes-informations/adresses/{extra.pk}/retirer/")
        )
        assert "Retirer alice@gmail.com de votre compte ?" in page
        client.post(f"/cockpit/mes-informations/adresses/{extra.pk}/retirer/")
        assert not EmailAddress.objects.filter(pk=extra.pk).exists()
        primary = person.emails.get()
        response = client.post(
            f"/cockpit/mes-informations/adresses/{primary.pk}/retirer/", follow=True
        )
        assert "L'adresse principale ne peut pas être supprimée" in page_text(response)
        assert EmailAddress.objects.filter(pk=primary.pk).exists()

    def test_someone_else_address_is_not_found(self, client):
        other = make_person(email="bob@chu-lyon.fr")
        client.force_login(make_person().user)
        address = other.emails.get()
        assert (
            client.post(
                f"/cockpit/mes-informations/adresses/{address.pk}/retirer/"
            ).status_code
            == 404
        )
