"""Date shifts by months and years, the one way (no Django: pure modules use it too).

`date.replace(year=…)` fails on 29 February; `relativedelta` lands on the 28th.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def shifted(day: date, *, years: int = 0, months: int = 0) -> date:
    """The same day `years` and `months` later (the 28th for a 29 February)."""
    return day + relativedelta(years=years, months=months)


def period_end(start: date, *, years: int = 0, months: int = 0) -> date:
    """Last day of a period of that length beginning on `start`."""
    return shifted(start, years=years, months=months) - timedelta(days=1)
