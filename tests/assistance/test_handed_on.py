"""A ticket a level-1 team handed on stays in its agents' sight, read only; the page
offers each move between levels only where it applies; sending back needs a reason."""

import pytest
from django.core.exceptions import ValidationError
from helpdesk.models import FollowUp, Ticket

from assistance.models import Category, Team, Tier
from assistance.selectors import visible_tickets
from assistance.services import (
    answer_send,
    request_file,
    teams_setup,
    ticket_deescalate,
    ticket_escalate,
    ticket_reassign,
)
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db
BASE = "/cockpit/demandes-assistance/"
DECISIONS = ("repondre", "resoudre", "priorite", "escalader", "renvoyer")
SEND_BACK_REASON = "Le motif du renvoi est obligatoire"


def file_in(code: str, title: str) -> Ticket:
    return request_file(
        title=title,
        description="Mon stage d'été n'apparaît pas.",
        category=Category.PATH,
        email="interne@etu.exemple.fr",
        subdivision=subdivision(code),
    )


@pytest.fixture
def ticket():
    teams_setup()
    return file_in("LYON", "Stage non visible")


@pytest.fixture
def escalated(ticket, people):
    ticket_escalate(
        by=people.support_l1, ticket=ticket, reason="Stage absent de la base."
    )
    ticket.refresh_from_db()
    return ticket


def page_of(client, ticket) -> str:
    response = client.get(f"{BASE}{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_agent_who_escalated_reads_the_ticket_and_its_history_without_actions(
    client, escalated, people
):
    client.force_login(people.support_l1)
    page = page_of(client, escalated)
    assert "Stage non visible" in page
    assert "vous la suivez en lecture seule" in page
    assert "Escaladée au niveau 2" in page and "Stage absent de la base." in page
    assert "Lyon — niveau 1 → UNESS — niveau 2" in page
    assert "/decision/" not in page
    for button in ("Envoyer la réponse", "Changer la priorité", "Renvoyer au niveau 1"):
        assert button not in page
    assert "Stage non visible" in client.get(BASE).content.decode()


def test_the_agent_who_escalated_is_refused_every_action_and_nothing_changes(
    client, escalated, people
):
    client.force_login(people.support_l1)
    data = {"text": "Réglé.", "priority": "1", "reason": "Retour au niveau 1."}
    for name in DECISIONS:
        response = client.post(
            f"{BASE}{escalated.pk}/decision/{name}/", data, follow=True
        )
        assert response.status_code in (200, 403), name
        if response.status_code == 200:
            assert "Cette demande n&#x27;est pas dans vos équipes." in (
                response.content.decode()
            ), name
    escalated.refresh_from_db()
    assert escalated.queue.team.tier == Tier.LEVEL_2
    assert escalated.status == Ticket.OPEN_STATUS
    assert escalated.priority == 3
    assert list(
        FollowUp.objects.filter(ticket=escalated).values_list("title", flat=True)
    ) == ["Escaladée au niveau 2"]


def test_another_subdivisions_agent_still_gets_nothing_once_escalated(
    client, escalated, people
):
    client.force_login(people.support_l1_elsewhere)
    assert client.get(f"{BASE}{escalated.pk}/").status_code == 404
    assert "Stage non visible" not in client.get(BASE).content.decode()
    assert escalated not in visible_tickets(people.support_l1_elsewhere)


def test_a_ticket_escalated_by_another_subdivision_stays_out_of_sight(ticket, people):
    rennes = file_in("RENNES", "Compte bloqué à Rennes")
    ticket_escalate(by=people.support_l1_elsewhere, ticket=rennes, reason="SSO.")
    assert list(visible_tickets(people.support_l1)) == [ticket]
    assert set(visible_tickets(people.support_l1_elsewhere)) == {rennes}


def test_a_ticket_handed_to_another_team_is_read_only_for_the_first(
    client, ticket, people
):
    grenoble = Team.objects.get(subdivision=subdivision("GRENOBLE"))
    ticket_reassign(
        by=people.support_l1, ticket=ticket, team=grenoble, reason="Site grenoblois."
    )
    client.force_login(people.support_l1)
    page = page_of(client, ticket)
    assert "Confiée à une autre équipe" in page and "/decision/" not in page
    # No longer in her team's queue: nobody may hand it to her either.
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        ticket_reassign(by=people.support_l2, ticket=ticket, assignee=people.support_l1)
    client.force_login(people.support_l1_elsewhere)
    assert client.get(f"{BASE}{ticket.pk}/").status_code == 404


def test_the_list_filters_the_tickets_handed_to_level_2(client, escalated, people):
    file_in("LYON", "Attestation de stage")
    client.force_login(people.support_l1)
    handed_on = client.get(BASE, {"escalated": "true"}).content.decode()
    assert "Stage non visible" in handed_on and "Attestation de stage" not in handed_on
    in_team = client.get(BASE, {"escalated": "false"}).content.decode()
    assert "Attestation de stage" in in_team and "Stage non visible" not in in_team


def test_escalate_is_offered_on_level_1_only_and_send_back_on_level_2_only(
    client, ticket, people
):
    escalate = f"{BASE}{ticket.pk}/decision/escalader/"
    send_back = f"{BASE}{ticket.pk}/decision/renvoyer/"
    client.force_login(people.support_l1)
    page = page_of(client, ticket)
    assert escalate in page and send_back not in page
    client.force_login(people.support_l2)
    page = page_of(client, ticket)
    assert send_back not in page
    ticket_escalate(by=people.support_l1, ticket=ticket, reason="Anomalie.")
    page = page_of(client, ticket)
    assert send_back in page and "Motif du renvoi (obligatoire)" in page
    assert escalate not in page and "Escalader au niveau 2" not in page


def test_a_resolved_ticket_offers_no_move_and_the_services_refuse_one(
    client, ticket, people
):
    answer_send(by=people.support_l1, ticket=ticket, text="C'est réglé.", resolve=True)
    client.force_login(people.support_l1)
    page = page_of(client, ticket)
    for name in ("escalader", "renvoyer", "resoudre"):
        assert f"{BASE}{ticket.pk}/decision/{name}/" not in page, name
    assert f"{BASE}{ticket.pk}/decision/repondre/" in page
    with pytest.raises(ValidationError, match="résolue ou close"):
        ticket_escalate(by=people.support_l1, ticket=ticket, reason="Anomalie.")
    ticket.refresh_from_db()
    assert ticket.queue.team.tier == Tier.LEVEL_1


def test_sending_back_without_a_reason_is_refused_and_the_ticket_stays_at_level_2(
    client, escalated, people
):
    with pytest.raises(ValidationError, match=SEND_BACK_REASON):
        ticket_deescalate(by=people.support_l2, ticket=escalated, reason="  ")
    client.force_login(people.support_l2)
    assert 'id="motif-renvoi" name="reason" required' in page_of(client, escalated)
    response = client.post(
        f"{BASE}{escalated.pk}/decision/renvoyer/", {"reason": ""}, follow=True
    )
    assert SEND_BACK_REASON in response.content.decode()
    escalated.refresh_from_db()
    assert escalated.queue.team.tier == Tier.LEVEL_2
    assert not FollowUp.objects.filter(title="Renvoyée au niveau 1").exists()
    ticket_deescalate(by=people.uness_admin, ticket=escalated, reason="Réglé : clore.")
    escalated.refresh_from_db()
    assert escalated.queue.team.tier == Tier.LEVEL_1


def test_an_internal_follow_up_is_badged_internal_note(client, escalated, people):
    client.force_login(people.support_l1)
    page = page_of(client, escalated)
    assert ">Note interne</span>" in page
    assert ">interne</span>" not in page
