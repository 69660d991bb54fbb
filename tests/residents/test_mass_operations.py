"""Mass processing is set-based: a few queries whatever the number of residents, one
history row per record with its author, and a same-day undo that restores exactly."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from domains.people.selectors import active_functions
from domains.residents.models import Enrolment, PhasePeriod
from domains.residents.selectors import current_enrolment, current_phase
from domains.residents.services import (
    enrolment_dates_many,
    mass_operation_undo,
    phase_change_many,
)
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(faculty_registry):
    return faculty_registry


def ready_for_jury(count: int) -> list:
    residents = []
    for _ in range(count):
        resident = make_resident()
        add_placement(resident, "winter", 2023)
        add_placement(resident, "summer", 2024)
        residents.append(resident)
    return residents


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_the_phase_change_costs_the_same_queries_for_2_or_12_residents(registry):
    few, many = ready_for_jury(2), ready_for_jury(12)

    def change(residents):
        return lambda: phase_change_many(
            residents=residents,
            jury_date=date(2024, 10, 20),
            decision="validated",
            by=registry,
        )

    active_functions(registry, all_functions=True)  # read once per request anyway
    assert queries_of(change(few)) == queries_of(change(many))
    assert {current_phase(current_enrolment(r)).phase.code for r in many} == {
        "approfondissement"
    }


def test_each_phase_keeps_its_history_with_the_jury_author(registry):
    residents = ready_for_jury(3)
    phase_change_many(
        residents=residents,
        jury_date=date(2024, 10, 20),
        decision="validated",
        by=registry,
    )
    closed = PhasePeriod.history.filter(phase__code="socle", history_type="~")
    opened = PhasePeriod.history.filter(
        phase__code="approfondissement", history_type="+"
    )
    assert closed.count() == opened.count() == 3
    assert {row.history_user_id for row in [*closed, *opened]} == {registry.pk}
    assert {row.jury_decision for row in closed} == {"validated"}


def test_undo_after_a_set_based_phase_change_restores_exactly(registry):
    residents = ready_for_jury(3)
    # An earlier jury extended the first one's socle: the undo must give it back.
    extended = phase_change_many(
        residents=residents[:1],
        jury_date=date(2024, 6, 30),
        decision="extended",
        by=registry,
    )
    assert extended.count == 1

    def snapshot():
        return sorted(
            PhasePeriod.objects.values_list(
                "pk",
                "enrolment_id",
                "phase__code",
                "start_date",
                "planned_end",
                "actual_end",
                "jury_date",
                "jury_decision",
            )
        )

    before = snapshot()
    operation = phase_change_many(
        residents=residents,
        jury_date=date(2024, 10, 20),
        decision="validated",
        by=registry,
    )
    assert snapshot() != before
    mass_operation_undo(operation=operation, by=registry)
    assert snapshot() == before
    first = current_phase(current_enrolment(residents[0]))
    assert (first.jury_date, first.jury_decision) == (date(2024, 6, 30), "extended")
    deleted = PhasePeriod.history.filter(history_type="-")
    assert deleted.count() == 3
    assert {row.history_user_id for row in deleted} == {registry.pk}


def test_a_phase_judged_again_since_cannot_be_undone_under_it(registry):
    residents = ready_for_jury(1)
    first = phase_change_many(
        residents=residents,
        jury_date=date(2024, 10, 20),
        decision="validated",
        by=registry,
    )
    phase_change_many(
        residents=residents,
        jury_date=date(2024, 12, 1),
        decision="extended",
        by=registry,
    )
    with pytest.raises(Exception, match="annulez d'abord ce traitement-là"):
        mass_operation_undo(operation=first, by=registry)


def test_diplomas_in_bulk_and_their_undo(registry):
    residents = [make_resident() for _ in range(3)]
    operation = enrolment_dates_many(
        residents=residents, kind="diploma", day=date(2027, 10, 15), by=registry
    )
    assert operation.count == 3
    assert set(Enrolment.objects.values_list("state", "diploma_date", "ended_on")) == {
        ("completed", date(2027, 10, 15), date(2027, 10, 15))
    }
    assert Enrolment.history.filter(history_type="~").count() == 3
    mass_operation_undo(operation=operation, by=registry)
    assert set(Enrolment.objects.values_list("state", "diploma_date", "ended_on")) == {
        ("active", None, None)
    }
