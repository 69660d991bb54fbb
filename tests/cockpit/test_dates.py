"""Date shifts over every day of a four-year cycle (29 February included)."""

from datetime import date, timedelta

import pytest

from domains.cockpit.dates import period_end, shifted
from domains.residents.rules import PHASE_ORDER, next_phase_period

CYCLE = [date(2027, 1, 1) + timedelta(days=n) for n in range(4 * 365 + 1)]


@pytest.mark.parametrize("years", [1, 2, 3, 5])
def test_a_period_of_whole_years_ends_the_day_before_its_anniversary(years):
    for day in CYCLE:
        end = period_end(day, years=years)
        anniversary = shifted(day, years=years)
        assert end == anniversary - timedelta(days=1)
        assert anniversary.month == day.month
        assert anniversary.day == min(day.day, 28 if day.month == 2 else day.day)
        assert 365 * years - 2 <= (end - day).days <= 366 * years


def test_a_shift_by_months_stays_in_the_target_month():
    for day in CYCLE:
        later = shifted(day, months=12)
        assert (later.year, later.month) == (day.year + 1, day.month)
        six = shifted(day, months=6)
        assert six.month == (day.month + 5) % 12 + 1


@pytest.mark.parametrize("code", PHASE_ORDER)
@pytest.mark.parametrize("surgical", [False, True])
def test_the_next_phase_opens_the_day_after_any_jury(code, surgical):
    for jury in CYCLE:
        start, end = next_phase_period(jury, code, surgical=surgical)
        assert start == jury + timedelta(days=1)
        assert end > start


def test_a_jury_on_28_february_2028_opens_a_phase_from_29_february():
    assert next_phase_period(date(2028, 2, 28), "approfondissement") == (
        date(2028, 2, 29),
        date(2030, 2, 27),
    )
    assert next_phase_period(date(2028, 2, 28), "consolidation") == (
        date(2028, 2, 29),
        date(2029, 2, 27),
    )
