"""Support targets count working hours: weekdays 9:00–18:00, French holidays off."""

from datetime import date, datetime, timedelta

import pytest

from assistance.hours import (
    PARIS,
    add_working_time,
    is_working_day,
    public_holidays,
    working_time_between,
)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("year", "monday"),
    [(2024, date(2024, 4, 1)), (2026, date(2026, 4, 6)), (2027, date(2027, 3, 29))],
)
def test_easter_monday_moves_with_easter(year, monday):
    assert monday in public_holidays(year)
    assert not is_working_day(monday)


def test_the_eleven_holidays_of_2026():
    holidays = public_holidays(2026)
    assert len(holidays) == 11
    # Easter Monday, Ascension, Whit Monday
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays
    assert not is_working_day(date(2026, 5, 1))  # a Friday, Labour Day
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 11, 27))


def test_a_target_runs_over_the_weekend():
    friday = at(2026, 11, 27, 17, 0)
    assert add_working_time(friday, timedelta(hours=2)) == at(2026, 11, 30, 10, 0)
    assert working_time_between(friday, at(2026, 11, 30, 10, 0)) == timedelta(hours=2)


def test_a_target_skips_a_public_holiday_and_the_weekend_after_it():
    thursday = at(2026, 4, 30, 17, 0)  # 1 May 2026 is a Friday
    assert add_working_time(thursday, timedelta(hours=2)) == at(2026, 5, 4, 10, 0)


def test_a_request_filed_at_night_starts_counting_at_nine():
    night = at(2026, 11, 24, 22, 30)
    assert add_working_time(night, timedelta(hours=4)) == at(2026, 11, 25, 13, 0)
    assert working_time_between(night, at(2026, 11, 25, 9, 0)) == timedelta()


def test_several_working_days():
    monday = at(2026, 11, 23, 9, 0)
    assert add_working_time(monday, timedelta(hours=9 * 3)) == at(2026, 11, 25, 18, 0)
    assert working_time_between(monday, at(2026, 11, 30, 9, 0)) == timedelta(hours=45)
