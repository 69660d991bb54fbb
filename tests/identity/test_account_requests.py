"""Demande de compte: public form, queue of the perimeter, acceptance with a link."""

import re

import pytest
from django.core import mail

from domains.identity.models import AccountRequest
from domains.people.models import Person
from domains.people.roles import Role
from tests.conftest import page_text
from tests.factories.identity import account_request
from tests.factories.people import make_person
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    region,
    subdivision,
)

pytestmark = pytest.mark.django_db
FORM = "/compte/demande/"


def answer(**overrides):
    data = {
        "civility": "MME",
        "first_name": "Louise",
        "last_name": "Martin",
        "email": "louise.martin@chu-lyon.fr",
        "phone": "",
        "role": Role.SITE_SUPERVISOR,
        "region": region("84").pk,
        "site_not_listed": "",
        "message": "",
    }
    return data | overrides


def unlisted_request() -> AccountRequest:
    return AccountRequest.objects.create(
        civility="M",
        first_name="Paul",
        last_name="Roux",
        email="paul@chu.fr",
        role=Role.SITE_ASSISTANT,
        region=region("84"),
        site_not_listed="Urgences, Vienne",
    )


def test_the_site_is_found_by_search_and_the_request_lands_in_the_queue(client):
    site = TrainingSiteFactory(name="Pneumologie — Croix-Rousse")
    page = page_text(client.get(FORM, {"q": "pneumo croix"}))
    assert "Pneumologie — Croix-Rousse" in page
    response = client.post(f"{FORM}?q=pneumo+croix", answer(training_site=site.pk))
    assert "Votre demande est enregistrée" in page_text(response)
    request = AccountRequest.objects.get()
    assert (request.training_site, request.status) == (site, "pending")


def test_a_request_needs_a_site_or_its_description(client):
    response = client.post(FORM, answer())
    assert "Choisissez votre terrain de stage, ou décrivez-le" in page_text(response)
    assert not AccountRequest.objects.exists()


def test_same_pending_address_twice_is_one_request_and_the_answer_is_the_same(client):
    make_person(email="deja@chu-lyon.fr")
    first = page_text(
        client.post(
            FORM, answer(email="deja@chu-lyon.fr", site_not_listed="Clinique X, Lyon")
        )
    )
    second = page_text(
        client.post(
            FORM, answer(email="DEJA@chu-lyon.fr", site_not_listed="Clinique Y, Lyon")
        )
    )
    assert (
        "Votre demande est enregistrée" in first
        and "Votre demande est enregistrée" in second
    )
    assert AccountRequest.objects.get().site_not_listed == "Clinique Y, Lyon"


def test_requests_are_rate_limited_per_connection(client):
    for i in range(5):
        client.post(FORM, answer(email=f"p{i}@exemple.fr", site_not_listed="Lyon"))
    response = client.post(FORM, answer(email="p9@exemple.fr", site_not_listed="Lyon"))
    assert "Trop de demandes envoyées depuis cette connexion" in page_text(response)
    assert AccountRequest.objects.count() == 5


def test_the_ars_accepts_the_person_gets_her_function_and_a_sign_in_link(
    client, django_capture_on_commit_callbacks, people
):
    site = TrainingSiteFactory(name="Pneumologie — Croix-Rousse")
    request = AccountRequest.objects.create(
        civility="MME",
        first_name="Louise",
        last_name="Martin",
        email="louise.martin@chu-lyon.fr",
        role=Role.SITE_SUPERVISOR,
        region=region("84"),
        training_site=site,
    )
    client.force_login(people.ars)
    assert "louise.martin@chu-lyon.fr" in page_text(
        client.get("/cockpit/demandes-de-compte/")
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cockpit/demandes-de-compte/{request.pk}/decision/accepter/")
    person = Person.objects.get(last_name="Martin")
    assert person.functions.get().training_site == site
    request.refresh_from_db()
    assert request.status == "approved" and request.person == person
    message = mail.outbox[-1]
    assert message.to == ["louise.martin@chu-lyon.fr"]
    assert "Votre demande de compte SIIMOP est acceptée" in message.body
    path = "/" + re.search(r"https?://\S+", message.body).group(0).split("/", 3)[3]
    client.logout()
    client.post(path)
    page = page_text(client.get("/cockpit/"))
    assert (
        "en tant que <strong>responsable de terrain de stage (RTS) — Pneumologie — "
        "Croix-Rousse" in page
    )


def test_an_unlisted_site_must_be_chosen_before_acceptance(client, people):
    request = unlisted_request()
    client.force_login(people.ars)
    response = client.post(
        f"/cockpit/demandes-de-compte/{request.pk}/decision/accepter/", follow=True
    )
    assert "Choisissez le terrain de stage" in page_text(response)
    request.refresh_from_db()
    assert request.status == "pending"


def test_refusal_needs_a_reason_and_emails_it(
    client, django_capture_on_commit_callbacks, people
):
    request = unlisted_request()
    client.force_login(people.ars)
    client.post(
        f"/cockpit/demandes-de-compte/{request.pk}/decision/refuser/", {"reason": ""}
    )
    request.refresh_from_db()
    assert request.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cockpit/demandes-de-compte/{request.pk}/decision/refuser/",
            {"reason": "Service fermé depuis 2025."},
        )
    request.refresh_from_db()
    assert request.status == "refused"
    assert "Service fermé depuis 2025." in mail.outbox[-1].body


def test_another_region_does_not_see_nor_decide(client, people):
    request = AccountRequest.objects.create(
        civility="M",
        first_name="Paul",
        last_name="Roux",
        email="paul@chu.fr",
        role=Role.SITE_ASSISTANT,
        region=region("84"),
        training_site=TrainingSiteFactory(),
    )
    TrainingSiteFactory(
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    client.force_login(people.ars_elsewhere)
    assert "paul@chu.fr" not in page_text(client.get("/cockpit/demandes-de-compte/"))
    response = client.post(
        f"/cockpit/demandes-de-compte/{request.pk}/decision/accepter/"
    )
    assert response.status_code == 404


def test_the_requester_gets_an_acknowledgement_whether_known_or_not(
    client, django_capture_on_commit_callbacks
):
    make_person(email="connue@chu-lyon.fr")
    for email in ("connue@chu-lyon.fr", "inconnue@chu-lyon.fr"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(FORM, answer(email=email, site_not_listed="Clinique X, Lyon"))
    assert [m.to for m in mail.outbox] == [
        ["connue@chu-lyon.fr"],
        ["inconnue@chu-lyon.fr"],
    ]
    known, unknown = (m.body for m in mail.outbox)
    assert "Nous avons bien reçu votre demande de compte SIIMOP" in unknown
    assert "Responsable de terrain de stage (RTS)" in unknown
    assert known.replace("connue", "X") == unknown.replace("inconnue", "X")


def test_a_decided_request_offers_no_more_decision_and_refuses_a_second_one(
    client, people
):
    request = unlisted_request()
    client.force_login(people.ars)
    url = f"/cockpit/demandes-de-compte/{request.pk}/"
    page = client.get(url).content.decode()
    assert f"{url}decision/accepter/" in page and f"{url}decision/refuser/" in page
    page = page_text(
        client.post(f"{url}decision/refuser/", {"reason": "Doublon."}, follow=True)
    )
    assert "refusée : le motif est envoyé au demandeur." in page
    assert "Accepter et envoyer un lien de connexion" not in page
    page = page_text(client.post(f"{url}decision/accepter/", follow=True))
    assert "Cette demande a déjà été traitée." in page
    request.refresh_from_db()
    assert request.status == "refused"
    assert client.post(f"{url}decision/inventee/").status_code == 404


def test_the_faculty_registry_opens_each_request_of_its_region_once(client, people):
    """The region has several subdivisions: a request was listed once per subdivision
    and its page answered 500 (MultipleObjectsReturned)."""
    listed = account_request(training_site=people.site)
    unlisted = unlisted_request()
    client.force_login(people.faculty_registry)
    for request in (listed, unlisted):
        response = client.get(f"/cockpit/demandes-de-compte/{request.pk}/")
        assert response.status_code == 200
        assert request.email in page_text(response)
    listing = page_text(client.get("/cockpit/demandes-de-compte/"))
    assert listing.count("paul@chu.fr") == 1
    client.post(
        f"/cockpit/demandes-de-compte/{unlisted.pk}/decision/refuser/",
        {"reason": "Terrain inconnu de la faculté."},
    )
    unlisted.refresh_from_db()
    assert unlisted.status == AccountRequest.Status.REFUSED
