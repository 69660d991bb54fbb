"""Targets count working hours; late tickets are flagged, answered ones are not."""

from datetime import datetime

import pytest
from helpdesk.models import FollowUp, Ticket

from assistance.hours import PARIS
from assistance.models import Category
from assistance.services import request_file, teams_setup
from assistance.targets import deadlines, lateness
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
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


def test_late_tickets_are_flagged_until_an_agent_answers():
    teams_setup()
    ticket = filed(datetime(2026, 11, 10, 16, 0, tzinfo=PARIS), priority=2)
    later = datetime(2026, 11, 12, 12, 0, tzinfo=PARIS)  # 4 working hours: late
    [late] = lateness(Ticket.objects.all(), now=later)
    assert late.ticket == ticket
    assert late.late_first_response and not late.late_resolution
    agent = make_user_with_role(Role.SUPPORT_L1, subdivision=subdivision("LYON"))
    FollowUp.objects.create(
        ticket=ticket,
        title="Réponse",
        comment="Voici la marche à suivre.",
        public=True,
        user=agent,
        date=datetime(2026, 11, 10, 17, 0, tzinfo=PARIS),
    )
    assert lateness(Ticket.objects.all(), now=later) == []
