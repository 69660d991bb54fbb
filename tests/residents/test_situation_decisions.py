"""A request's opinion, decision and withdrawal are declared decisions of the
situations screen, served by the cockpit's one decision view (issue 18, item 7)."""

from datetime import date

import pytest
from django.core import mail

from domains.residents.models import SpecialSituation
from domains.residents.services import situation_request
from tests.conftest import page_text
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db
SITUATIONS = "/cockpit/situations/"


@pytest.fixture
def request_of_lea(people):
    resident = make_resident(first_name="Léa", last_name="Garnier")
    return situation_request(
        resident=resident,
        kind="research",
        start_date=date(2027, 11, 1),
        end_date=date(2028, 10, 31),
        by=resident.person.user,
    )


def decision_url(situation, name: str) -> str:
    return f"{SITUATIONS}{situation.pk}/decision/{name}/"


def test_the_coordinator_gives_her_opinion_from_the_page(
    client, coordinator, request_of_lea
):
    client.force_login(coordinator)
    page = client.get(f"{SITUATIONS}{request_of_lea.pk}/")
    assert decision_url(request_of_lea, "avis") in page.content.decode()
    refused = client.post(
        decision_url(request_of_lea, "avis"),
        {"opinion": "reserved", "comment": ""},
        follow=True,
    )
    assert "Motivez un avis réservé ou défavorable." in page_text(refused)
    client.post(
        decision_url(request_of_lea, "avis"),
        {"opinion": "reserved", "comment": "Projet à préciser."},
    )
    request_of_lea.refresh_from_db()
    assert (request_of_lea.status, request_of_lea.opinion) == ("opinion", "reserved")


def test_the_registry_decides_and_the_resident_is_told(
    client, faculty_registry, request_of_lea, django_capture_on_commit_callbacks
):
    client.force_login(faculty_registry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decision_url(request_of_lea, "decider"),
            {"approve": "0", "comment": "Dossier incomplet, l'attestation manque."},
            follow=True,
        )
    assert "Décision enregistrée" in page_text(response)
    request_of_lea.refresh_from_db()
    assert request_of_lea.status == "refused"
    message = mail.outbox[-1]
    assert message.subject == "SIIMOP — votre demande : Année recherche"
    assert "Dossier incomplet, l'attestation manque." in message.body
    assert "a été refusée" in message.body


def test_the_registry_of_another_subdivision_cannot_decide(
    client, faculty_registry_elsewhere, request_of_lea
):
    client.force_login(faculty_registry_elsewhere)
    response = client.post(decision_url(request_of_lea, "decider"), {"approve": "1"})
    assert response.status_code == 404
    request_of_lea.refresh_from_db()
    assert request_of_lea.status == "requested"


def test_the_resident_withdraws_her_request_from_her_path(client, request_of_lea):
    lea = request_of_lea.resident.person.user
    client.force_login(lea)
    page = client.get("/cockpit/mon-parcours/").content.decode()
    assert decision_url(request_of_lea, "retirer") in page
    response = client.post(
        decision_url(request_of_lea, "retirer"),
        {"next": "/cockpit/mon-parcours/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/cockpit/mon-parcours/"
    assert "Demande retirée." in page_text(response)
    request_of_lea.refresh_from_db()
    assert request_of_lea.status == "withdrawn"
    # Withdrawn, it offers nothing more.
    assert (
        decision_url(request_of_lea, "retirer")
        not in client.get("/cockpit/mon-parcours/").content.decode()
    )


def test_another_resident_cannot_withdraw_it(client, people, request_of_lea):
    client.force_login(people.resident)
    response = client.post(decision_url(request_of_lea, "retirer"))
    assert response.status_code == 404
    assert SpecialSituation.objects.get().status == "requested"


def test_the_posted_step_urls_are_gone(client, faculty_registry, request_of_lea):
    client.force_login(faculty_registry)
    old = client.post(f"{SITUATIONS}{request_of_lea.pk}/decision/", {"approve": "1"})
    assert old.status_code == 404
