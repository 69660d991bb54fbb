"""Escalation, de-escalation and reassignment: who may, and the history kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from helpdesk.models import FollowUp

from assistance.models import Category, Team, Tier
from assistance.services import (
    request_file,
    teams_setup,
    ticket_deescalate,
    ticket_escalate,
    ticket_reassign,
)
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    teams_setup()
    return request_file(
        title="Compte bloqué",
        description="Je ne peux plus me connecter.",
        category=Category.ACCOUNT,
        email="rts@chu-exemple.fr",
        subdivision=subdivision("LYON"),
    )


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def test_escalation_needs_a_reason_and_an_agent_of_the_team(ticket, people):
    lyon = people.support_l1
    rennes = people.support_l1_elsewhere
    with pytest.raises(PermissionDenied, match="pas dans vos équipes"):
        ticket_escalate(by=rennes, ticket=ticket, reason="Compte SSO")
    assert "Dites pourquoi" in refusal(
        lambda: ticket_escalate(by=lyon, ticket=ticket, reason=" ")
    )
    ticket_escalate(by=lyon, ticket=ticket, reason="Identité universitaire en double.")
    ticket.refresh_from_db()
    assert ticket.queue.team.tier == Tier.LEVEL_2
    assert ticket.siimop.tier == Tier.LEVEL_2
    followup = FollowUp.objects.get(ticket=ticket)
    assert (followup.title, followup.comment, followup.user) == (
        "Escaladée au niveau 2",
        "Identité universitaire en double.",
        lyon,
    )
    change = followup.ticketchange_set.get()
    assert (change.old_value, change.new_value) == (
        "Lyon — niveau 1",
        "UNESS — niveau 2",
    )


def test_level_2_sends_back_and_reassigns_keeping_the_history(ticket, people):
    lyon = people.support_l1
    national = people.support_l2
    ticket_escalate(by=lyon, ticket=ticket, reason="Besoin de l'UNESS.")
    ticket_deescalate(by=national, ticket=ticket, reason="Réglé côté UNESS, à clore.")
    ticket.refresh_from_db()
    assert ticket.queue.team.subdivision == subdivision("LYON")
    colleague = make_user_with_role(Role.SUPPORT_L1, subdivision=subdivision("LYON"))
    ticket_reassign(by=lyon, ticket=ticket, assignee=colleague, reason="Congés.")
    outsider = people.support_l1_elsewhere
    assert "ne fait pas partie" in refusal(
        lambda: ticket_reassign(by=lyon, ticket=ticket, assignee=outsider)
    )
    grenoble = Team.objects.get(subdivision=subdivision("GRENOBLE"))
    ticket_reassign(by=lyon, ticket=ticket, team=grenoble, reason="Site grenoblois.")
    titles = list(
        FollowUp.objects.filter(ticket=ticket)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Escaladée au niveau 2",
        "Renvoyée au niveau 1",
        "Confiée à un collègue",
        "Confiée à une autre équipe",
    ]
