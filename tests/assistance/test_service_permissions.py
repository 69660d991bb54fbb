"""The assistance services ask who acts, whatever calls them: an agent outside the
ticket's teams, or someone other than the person asking, is refused and nothing is
written."""

import pytest
from django.core.exceptions import PermissionDenied
from helpdesk.models import FollowUp, Ticket

from assistance.models import Category
from assistance.services import (
    request_close,
    request_file,
    request_reply,
    teams_setup,
    ticket_prioritize,
)
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(people):
    teams_setup()
    return request_file(
        title="Compte bloqué",
        description="Je ne peux plus me connecter.",
        category=Category.ACCOUNT,
        email=people.site_supervisor.email,
        person=people.site_supervisor.person,
        subdivision=subdivision("LYON"),
    )


def test_an_agent_of_another_subdivision_does_not_prioritize(ticket, people):
    with pytest.raises(PermissionDenied, match="pas dans vos équipes"):
        ticket_prioritize(
            by=people.support_l1_elsewhere, ticket=ticket, priority=1, reason="Urgent"
        )
    ticket.refresh_from_db()
    assert ticket.priority != 1
    ticket_prioritize(by=people.support_l1, ticket=ticket, priority=1, reason="Urgent")
    ticket.refresh_from_db()
    assert ticket.priority == 1


def test_only_the_person_asking_replies_to_and_closes_her_request(ticket, people):
    followups = FollowUp.objects.count()
    for other in (people.site_supervisor_elsewhere, people.support_l1):
        with pytest.raises(PermissionDenied, match="pas la vôtre"):
            request_reply(by=other, ticket=ticket, text="Je réponds à sa place.")
        with pytest.raises(PermissionDenied, match="pas la vôtre"):
            request_close(by=other, ticket=ticket)
    assert FollowUp.objects.count() == followups
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status
    request_reply(by=people.site_supervisor, ticket=ticket, text="Toujours bloqué.")
    assert FollowUp.objects.count() == followups + 1
