"""Working hours for support targets: Monday to Friday, 9:00 to 18:00 (Paris time),
public holidays off. Pure: dates and datetimes in, datetimes out.

The holidays come from the `holidays` package, per calendar: None is metropolitan
France; otherwise a `holidays.France` subdivision code (Alsace, the overseas
departments), which `calendar_code` picks from SIIMOP's referential codes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PARIS = ZoneInfo("Europe/Paris")
DAY_START = time(9, 0)
DAY_END = time(18, 0)
WORKING_DAY = timedelta(hours=9)

# Local law adds days off: Good Friday and 26 December in Alsace (the Strasbourg
# subdivision; Moselle, also under local law, is one department of Nancy's, which
# keeps the national calendar), the abolition of slavery overseas.
SUBDIVISION_CALENDARS: dict[str, str] = {"STRASBOURG": "6AE"}
# INSEE region code -> calendar. Antilles-Guyane is one subdivision filed under
# Guadeloupe (01), where its faculty sits; Océan Indien under La Réunion (04).
REGION_CALENDARS: dict[str, str] = {
    "01": "971",  # Guadeloupe
    "02": "972",  # Martinique
    "03": "973",  # Guyane
    "04": "974",  # La Réunion
    "06": "976",  # Mayotte
}


def calendar_code(
    subdivision_code: str | None = None, region_code: str | None = None
) -> str | None:
    """The holiday calendar of a subdivision (by its code or its region's); None,
    metropolitan France, for the others and when nothing is known."""
    return SUBDIVISION_CALENDARS.get(subdivision_code or "") or REGION_CALENDARS.get(
        region_code or ""
    )


@lru_cache(maxsize=256)
def public_holidays(year: int, calendar: str | None = None) -> frozenset[date]:
    """The public holidays of a year in a calendar (see the module docstring)."""
    return frozenset(holidays.France(years=year, subdiv=calendar))


def is_working_day(day: date, calendar: str | None = None) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, calendar)


def _window(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, DAY_START, tzinfo=PARIS),
        datetime.combine(day, DAY_END, tzinfo=PARIS),
    )


def working_time_between(
    start: datetime, end: datetime, calendar: str | None = None
) -> timedelta:
    """Working time elapsed from start to end (zero if end is before start)."""
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day, calendar):
            opens, closes = _window(day)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def add_working_time(
    start: datetime, duration: timedelta, calendar: str | None = None
) -> datetime:
    """The moment `duration` of working time after `start` (a target's deadline)."""
    moment = start.astimezone(PARIS)
    left = duration
    day = moment.date()
    while True:
        if is_working_day(day, calendar):
            opens, closes = _window(day)
            begin = max(opens, moment)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, DAY_START, tzinfo=PARIS)
