"""Working hours follow the local calendar of the request's subdivision: Alsace keeps
Good Friday and 26 December, overseas departments the abolition of slavery."""

from datetime import date, datetime, timedelta

import pytest
from helpdesk.models import Ticket

from assistance.hours import (
    PARIS,
    add_working_time,
    calendar_code,
    is_working_day,
    working_time_between,
)
from assistance.models import Category
from assistance.services import request_file, teams_setup
from assistance.targets import deadlines
from tests.factories.referential import subdivision

PARIS_CAL = calendar_code("ILE_DE_FRANCE", "11")
LYON = calendar_code("LYON", "84")
STRASBOURG = calendar_code("STRASBOURG", "44")
NANCY = calendar_code("NANCY", "44")
REUNION = calendar_code("OCEAN_INDIEN", "04")
ANTILLES = calendar_code("ANTILLES_GUYANE", "01")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_good_friday_is_worked_in_paris_but_off_in_strasbourg():
    good_friday = date(2027, 3, 26)
    assert is_working_day(good_friday, PARIS_CAL)
    assert not is_working_day(good_friday, STRASBOURG)
    assert is_working_day(good_friday, NANCY)


def test_saint_stephen_is_off_in_strasbourg_only():
    saint_stephen = date(2029, 12, 26)  # a Wednesday
    assert not is_working_day(saint_stephen, STRASBOURG)
    assert is_working_day(saint_stephen, LYON)


def test_abolition_of_slavery_is_off_in_la_reunion_not_in_lyon():
    abolition = date(2027, 12, 20)  # a Monday
    assert not is_working_day(abolition, REUNION)
    assert is_working_day(abolition, LYON)


def test_antilles_guyane_counts_in_the_guadeloupe_calendar():
    assert not is_working_day(date(2027, 5, 27), ANTILLES)  # abolition, Guadeloupe
    assert is_working_day(date(2027, 5, 27), LYON)


def test_whit_monday_and_ascension_are_off_everywhere():
    for calendar in (PARIS_CAL, STRASBOURG, REUNION, ANTILLES):
        assert not is_working_day(date(2027, 5, 17), calendar)  # Whit Monday
        assert not is_working_day(date(2027, 5, 6), calendar)  # Ascension


def test_unknown_places_count_in_the_metropolitan_calendar():
    assert calendar_code() is None
    assert calendar_code("LYON", "84") is None
    assert calendar_code("NOUVELLE_SUBDIVISION", "99") is None


def test_a_deadline_skips_the_local_holidays():
    thursday = at(2027, 3, 25, 17, 0)  # Good Friday, then Easter Monday
    assert add_working_time(thursday, timedelta(hours=2), PARIS_CAL) == at(
        2027, 3, 26, 10, 0
    )
    assert add_working_time(thursday, timedelta(hours=2), STRASBOURG) == at(
        2027, 3, 30, 10, 0
    )
    # The Réunion's 20 December is skipped; Lyon works it.
    friday = at(2027, 12, 17, 17, 0)
    assert add_working_time(friday, timedelta(hours=2), REUNION) == at(
        2027, 12, 21, 10, 0
    )
    assert add_working_time(friday, timedelta(hours=2), LYON) == at(2027, 12, 20, 10, 0)
    assert working_time_between(friday, at(2027, 12, 21, 10, 0), REUNION) == (
        timedelta(hours=2)
    )


def _filed(code: str, when: datetime) -> Ticket:
    ticket = request_file(
        title="Attestation introuvable",
        description="Le PDF ne se télécharge pas.",
        category=Category.PATH,
        email="interne@etu.exemple.fr",
        subdivision=subdivision(code),
    )
    Ticket.objects.filter(pk=ticket.pk).update(created=when)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.django_db
def test_a_request_from_strasbourg_gets_its_targets_past_good_friday():
    teams_setup()
    thursday = at(2027, 3, 25, 17, 0)
    strasbourg = _filed("STRASBOURG", thursday)
    paris = _filed("ILE_DE_FRANCE", thursday)
    # Priority 3: 8 working hours for the first answer.
    assert deadlines(strasbourg).first_response == at(2027, 3, 30, 16, 0)
    assert deadlines(paris).first_response == at(2027, 3, 26, 16, 0)


@pytest.mark.django_db
def test_filing_stores_the_local_targets(time_machine):
    teams_setup()
    time_machine.move_to(at(2027, 12, 17, 17, 0), tick=False)
    ticket = request_file(
        title="Compte bloqué",
        description="Je ne peux plus me connecter.",
        category=Category.ACCOUNT,
        email="interne@etu.exemple.fr",
        subdivision=subdivision("OCEAN_INDIEN"),
    )
    ticket.siimop.refresh_from_db()
    # 8 working hours from Friday 17:00: 1 h, then Tuesday (20 December is off).
    assert ticket.siimop.first_response_due == at(2027, 12, 21, 16, 0)
