"""Response targets per priority, in working hours (see hours.py), and what is late.

django-helpdesk priorities run from 1 (critical) to 5 (very low)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from helpdesk.models import Ticket

from .hours import add_working_time, calendar_code, working_time_between

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


def ticket_calendar(ticket: Ticket, subdivision=None) -> str | None:
    """The holiday calendar a request counts in: its subdivision's (given, or the
    one its SIIMOP context holds, or its level-1 team's), else metropolitan France."""
    if subdivision is None:
        subdivision = getattr(getattr(ticket, "siimop", None), "subdivision", None)
    if subdivision is None:
        team = getattr(ticket.queue, "team", None)
        subdivision = team.subdivision if team else None
    if subdivision is None:
        return None
    return calendar_code(subdivision.code, subdivision.region.code)


def deadlines(ticket: Ticket, subdivision=None) -> Deadlines:
    """The targets of a request, counted from its filing in its calendar's working
    hours; `subdivision` for a request whose SIIMOP context is not written yet."""
    first, resolve = TARGET_HOURS.get(ticket.priority, TARGET_HOURS[3])
    calendar = ticket_calendar(ticket, subdivision)
    return Deadlines(
        first_response=add_working_time(
            ticket.created, timedelta(hours=first), calendar
        ),
        resolution=add_working_time(ticket.created, timedelta(hours=resolve), calendar),
    )


def is_overdue(now: datetime | None = None) -> Q:
    """Open tickets past a target: not answered after the first-response deadline,
    or not resolved after the resolution deadline (on Ticket querysets)."""
    now = now or timezone.now()
    return Q(status__in=OPEN_STATES) & (
        Q(siimop__first_answer_at__isnull=True, siimop__first_response_due__lt=now)
        | Q(siimop__resolution_due__lt=now)
    )


def hours_since(start: datetime, end: datetime, calendar: str | None = None) -> float:
    """Working hours from start to end, for the statistics."""
    return round(working_time_between(start, end, calendar) / timedelta(hours=1), 2)
