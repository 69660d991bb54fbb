"""Working hours for support targets: Monday to Friday, 9:00 to 18:00 (Paris time),
French public holidays off. Pure: dates and datetimes in, datetimes out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAY_START = time(9, 0)
DAY_END = time(18, 0)
WORKING_DAY = timedelta(hours=9)


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The eleven public holidays of metropolitan France."""
    sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            sunday + timedelta(days=1),  # lundi de Pâques
            date(year, 5, 1),
            date(year, 5, 8),
            sunday + timedelta(days=39),  # Ascension
            sunday + timedelta(days=50),  # lundi de Pentecôte
            date(year, 7, 14),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def _window(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, DAY_START, tzinfo=PARIS),
        datetime.combine(day, DAY_END, tzinfo=PARIS),
    )


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time elapsed from start to end (zero if end is before start)."""
    start, end = start.astimezone(PARIS), end.astimezone(PARIS)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opens, closes = _window(day)
            lo, hi = max(opens, start), min(closes, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def add_working_time(start: datetime, duration: timedelta) -> datetime:
    """The moment `duration` of working time after `start` (a target's deadline)."""
    moment = start.astimezone(PARIS)
    left = duration
    day = moment.date()
    while True:
        if is_working_day(day):
            opens, closes = _window(day)
            begin = max(opens, moment)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += timedelta(days=1)
        moment = datetime.combine(day, DAY_START, tzinfo=PARIS)
