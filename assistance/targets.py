"""Response targets per priority, in working hours (see hours.py), and what is late.

django-helpdesk priorities run from 1 (critical) to 5 (very low)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from helpdesk.models import Ticket

from .hours import add_working_time

# priority -> (first response, resolution), in working hours
TARGET_HOURS: dict[int, tuple[int, int]] = {
    1: (1, 8),
    2: (4, 16),
    3: (8, 40),
    4: (16, 80),
    5: (40, 160),
}
OPEN_STATES = (Ticket.OPEN_STATUS, Ticket.REOPENED_STATUS)


@dataclass(frozen=True)
class Deadlines:
    first_response: datetime
    resolution: datetime


def deadlines(ticket: Ticket) -> Deadlines:
    first, resolve = TARGET_HOURS.get(ticket.priority, TARGET_HOURS[3])
    return Deadlines(
        first_response=add_working_time(ticket.created, timedelta(hours=first)),
        resolution=add_working_time(ticket.created, timedelta(hours=resolve)),
    )


def with_first_answer(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The time of the first public answer by an agent (someone signed in other than
    the person asking), or None."""
    return tickets.annotate(
        first_answer=Min(
            "followup__date",
            filter=Q(followup__public=True, followup__user__isnull=False)
            & ~Q(followup__user__email=F("submitter_email")),
        )
    )


@dataclass(frozen=True)
class Lateness:
    ticket: Ticket
    deadlines: Deadlines
    late_first_response: bool
    late_resolution: bool


def lateness(tickets: QuerySet[Ticket], now: datetime | None = None) -> list[Lateness]:
    """The open tickets past one of their targets, most urgent first."""
    now = now or timezone.now()
    late = []
    for ticket in with_first_answer(tickets.filter(status__in=OPEN_STATES)):
        due = deadlines(ticket)
        first_late = (ticket.first_answer or now) > due.first_response
        resolution_late = now > due.resolution
        if first_late or resolution_late:
            late.append(Lateness(ticket, due, first_late, resolution_late))
    return sorted(late, key=lambda x: x.deadlines.first_response)
