"""What a call list orders by, read from the database for many residents at once:
seniority in the current phase (validated stages of that phase; a stage lost to an
approved maternity leave counts, one not validated otherwise does not, nor a stage
of another phase; a resident on leave holds no stage), and the comparable national
ranking of each ranking kind (ECN rank and rank in the specialty group as a place
in the cohort, the 2024 percentage as it is; equal ranks, equal places)."""

from datetime import date

import pytest

from domains.choices.selectors import RANK_FIELDS, comparable_ranks
from domains.referential.models import Phase
from domains.residents.models import Resident, SpecialSituation
from domains.residents.selectors import phase_seniorities
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db


def _ranked(cohort, kind, rank=None, percentage=None):
    resident = make_resident(cohort=cohort)
    Resident.objects.filter(pk=resident.pk).update(
        ranking_kind=kind, national_rank=rank, rank_percentage=percentage
    )
    return resident.pk


def test_each_ranking_kind_becomes_a_comparable_place():
    ecn = [_ranked(2022, "ecn", rank) for rank in (100, 200, 200, 400)]
    group = [_ranked(2025, "specialty_group", rank) for rank in (7, 3)]
    percentage = _ranked(2024, "percentage", percentage=12.5)
    unranked = _ranked(2023, "ecn")
    ids = [*ecn, *group, percentage, unranked]
    ranks = comparable_ranks(
        Resident.objects.filter(pk__in=ids).values_list(*RANK_FIELDS)
    )
    # Places among the ranks held in the cohort, lower first; a tie shares one.
    assert [ranks[pk] for pk in ecn] == [0.0, 0.25, 0.25, 0.75]
    assert [ranks[pk] for pk in group] == [0.5, 0.0]
    assert ranks[percentage] == 0.125
    assert ranks[unranked] is None


def test_seniority_in_the_current_phase_for_many_residents():
    mother = make_resident(start=("winter", 2024))
    add_placement(mother, "winter", 2024, phase_code="socle")
    add_placement(mother, "summer", 2025, phase_code="socle")
    add_placement(
        mother, "winter", 2025, phase_code="socle", validation="not_validated"
    )
    SpecialSituation.objects.create(
        resident=mother,
        kind="maternity",
        status="approved",
        start_date=date(2025, 12, 1),
        end_date=date(2026, 3, 31),
    )
    failed = make_resident(start=("winter", 2024))
    add_placement(failed, "winter", 2024, phase_code="socle")
    add_placement(
        failed, "summer", 2025, phase_code="socle", validation="not_validated"
    )
    pending = make_resident(start=("winter", 2025))
    add_placement(pending, "winter", 2025, phase_code="socle", validation="pending")
    socle = Phase.objects.get(code="socle")
    approfondissement = Phase.objects.get(code="approfondissement")
    seniorities = phase_seniorities(
        Resident.objects.filter(pk__in=[mother.pk, failed.pk, pending.pk]),
        {mother.pk: socle.pk, failed.pk: socle.pk, pending.pk: socle.pk},
    )
    assert seniorities[mother.pk] == 3  # two validated + one lost to maternity
    assert seniorities[failed.pk] == 1  # not validated, no maternity
    assert seniorities[pending.pk] == 0  # not judged yet
    # Choosing in a phase just begun: none of her stages are of it.
    assert phase_seniorities(
        Resident.objects.filter(pk=mother.pk), {mother.pk: approfondissement.pk}
    ) == {mother.pk: 0}
