"""Targets count working hours; late tickets are flagged, answered ones are not."""

from datetime import datetime

import pytest
from helpdesk.models import Ticket

from assistance.hours import PARIS
from assistance.models import Category
from assistance.services import answer_send, request_file, teams_setup
from assistance.targets import deadlines, is_overdue
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


def filed(at: datetime, priority: int = 3) -> Ticket:
    ticket = request_file(
        title="Attestation introuvable",
        description="Le PDF ne se télécharge pas.",
        category=Category.PATH,
        email="interne@etu.exemple.fr",
        subdivision=subdivision("LYON"),
    )
    Ticket.objects.filter(pk=ticket.pk).update(created=at, priority=priority)
    ticket.refresh_from_db()
    return ticket


def test_deadlines_skip_the_weekend_and_the_armistice():
    teams_setup()
    # Tuesday 10 November 2026, 16:00; 11 November is a holiday.
    ticket = filed(datetime(2026, 11, 10, 16, 0, tzinfo=PARIS))
    due = deadlines(ticket)
    assert due.first_response == datetime(2026, 11, 12, 15, 0, tzinfo=PARIS)  # 8 h
    # 40 h: 2 h on the 10th, 9 h on 12, 13, 16 and 17 November = 38 h, then 2 h.
    assert due.resolution == datetime(2026, 11, 18, 11, 0, tzinfo=PARIS)


def filed_with_targets(at: datetime, priority: int = 3) -> Ticket:
    """Filed at `at`: the service stores the deadlines it computes then."""
    ticket = filed(at, priority)
    due = deadlines(ticket)
    ticket.siimop.__class__.objects.filter(ticket=ticket).update(
        first_response_due=due.first_response, resolution_due=due.resolution
    )
    return ticket


def test_filing_stores_the_deadlines_the_list_filters_on():
    teams_setup()
    ticket = request_file(
        title="Compte bloqué",
        description="Je ne peux plus me connecter.",
        category=Category.ACCOUNT,
        email="rts@chu.exemple.fr",
        subdivision=subdivision("LYON"),
    )
    context = ticket.siimop
    assert context.first_response_due == deadlines(ticket).first_response
    assert context.resolution_due == deadlines(ticket).resolution


def test_late_tickets_are_flagged_until_an_agent_answers(
    django_capture_on_commit_callbacks,
    people,
):
    teams_setup()
    ticket = filed_with_targets(datetime(2026, 11, 10, 16, 0, tzinfo=PARIS), priority=2)
    later = datetime(2026, 11, 12, 12, 0, tzinfo=PARIS)  # 4 working hours: late
    assert list(Ticket.objects.filter(is_overdue(later))) == [ticket]
    agent = people.support_l1
    answer_send(by=agent, ticket=ticket, text="Voici la marche à suivre.")
    assert list(Ticket.objects.filter(is_overdue(later))) == []
    # …but still late for its resolution once that deadline is past.
    much_later = datetime(2026, 11, 30, 12, 0, tzinfo=PARIS)
    assert list(Ticket.objects.filter(is_overdue(much_later))) == [ticket]
    ticket.siimop.refresh_from_db()
    assert ticket.siimop.first_response_hours is not None


def test_resolved_tickets_are_never_late(people):
    teams_setup()
    ticket = filed_with_targets(datetime(2026, 11, 10, 16, 0, tzinfo=PARIS))
    agent = people.support_l1
    answer_send(by=agent, ticket=ticket, text="C'est réglé.", resolve=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.RESOLVED_STATUS
    assert ticket.siimop.resolved_at is not None
    much_later = datetime(2026, 12, 30, 12, 0, tzinfo=PARIS)
    assert not Ticket.objects.filter(is_overdue(much_later)).exists()


def test_a_higher_priority_brings_the_targets_forward_and_is_recorded(client, people):
    teams_setup()
    ticket = filed_with_targets(datetime(2026, 11, 10, 16, 0, tzinfo=PARIS))
    agent = people.support_l1
    client.force_login(agent)
    response = client.post(
        f"/cockpit/demandes-assistance/{ticket.pk}/decision/priorite/",
        {"priority": "1"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    ticket.siimop.refresh_from_db()
    # 1 working hour from Tuesday 16:00.
    assert ticket.siimop.first_response_due == datetime(
        2026, 11, 10, 17, 0, tzinfo=PARIS
    )
    page = client.get(f"/cockpit/demandes-assistance/{ticket.pk}/").content.decode()
    assert "Priorité changée" in page
    other = people.support_l1_elsewhere
    client.force_login(other)
    assert (
        client.post(
            f"/cockpit/demandes-assistance/{ticket.pk}/decision/priorite/",
            {"priority": "5"},
        ).status_code
        == 404
    )
    ticket.refresh_from_db()
    assert ticket.priority == 1
