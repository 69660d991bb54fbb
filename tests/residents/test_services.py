"""Writes on the path: rules refused in French, nothing written, all-or-nothing."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.residents.models import (
    Enrolment,
    MassOperation,
    PhasePeriod,
    Placement,
    SpecialSituation,
)
from domains.residents.selectors import current_enrolment, current_phase, resident_path
from domains.residents.services import (
    mass_operation_undo,
    phase_change_many,
    placement_create,
    placements_validate,
    situation_decide,
    situation_request,
    situation_withdraw,
)
from tests.factories.referential import (
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    specialty,
    subdivision,
)
from tests.factories.residents import accredited_site, add_placement, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(faculty_registry):
    return faculty_registry


def test_a_new_resident_has_her_enrolment_socle_phase_and_function():
    resident = make_resident()
    enrolment = current_enrolment(resident)
    assert enrolment.specialty.code == "DES-MCA"
    assert current_phase(enrolment).phase.code == "socle"
    assert resident.person.functions.get().role == Role.RESIDENT


def test_a_second_stage_the_same_semester_is_refused():
    resident = make_resident()
    add_placement(resident, "winter", 2023)
    with pytest.raises(ValidationError, match="a déjà un stage au semestre"):
        add_placement(resident, "winter", 2023)
    assert Placement.objects.count() == 1


def test_an_r3c_stage_needs_an_accredited_site_else_it_is_archived_with_a_reason():
    resident = make_resident()
    site = TrainingSiteFactory()  # no accreditation
    arguments = dict(
        resident=resident,
        semester=SemesterFactory(season="winter", year=2023),
        training_site=site,
        specialty=specialty("DES-MCA"),
        phase=phase("socle"),
        by=SYSTEM,
    )
    with pytest.raises(ValidationError, match="n'est pas agréé"):
        placement_create(**arguments)
    with pytest.raises(ValidationError, match="pourquoi ce stage est archivé"):
        placement_create(**arguments, mode="archive")
    placement = placement_create(
        **arguments, mode="archive", archive_reason="Reprise IMOTEP, site non propre"
    )
    assert placement.mode == "archive"
    assert resident_path(resident).seniority == 0


def test_validations_are_all_or_nothing(registry):
    resident = make_resident()
    ok = add_placement(resident, "winter", 2023, validation=None)
    absent = add_placement(resident, "summer", 2024, validation=None)
    with pytest.raises(ValidationError) as error:
        placements_validate(
            decisions=[
                {"placement": ok, "validated": True},
                {"placement": absent, "validated": True, "absence_days": 75},
            ],
            by=registry,
        )
    assert "plus de 2 mois d'absence (75 jours)" in " ".join(error.value.messages)
    assert set(Placement.objects.values_list("validation", flat=True)) == {"pending"}


def test_leave_request_before_enough_service_is_refused_and_nothing_written():
    resident = make_resident(start=("winter", 2025))
    with pytest.raises(ValidationError, match="12 mois de fonctions effectives"):
        situation_request(
            resident=resident,
            kind="leave",
            leave_reason="personal",
            start_date=date(2026, 5, 1),
            end_date=date(2027, 4, 30),
            today=date(2026, 1, 15),
            by=resident.person.user,
        )
    assert not SpecialSituation.objects.exists()


def test_granted_remorse_moves_the_resident_to_the_new_specialty(
    registry, django_capture_on_commit_callbacks
):
    resident = make_resident(start=("winter", 2025))
    request = situation_request(
        resident=resident,
        kind="remorse",
        target_specialty=specialty("DES-DVE"),
        start_date=date(2026, 5, 1),
        end_date=date(2026, 5, 1),
        by=resident.person.user,
    )
    SemesterFactory(season="summer", year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        situation_decide(situation=request, approve=True, by=registry)
    assert current_enrolment(resident).specialty.code == "DES-DVE"
    assert Enrolment.objects.get(specialty__code="DES-MCA").state == "changed"
    assert mail.outbox[-1].to == [resident.person.primary_email]
    assert "accordée" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="qu'une fois"):
        situation_request(
            resident=resident,
            kind="remorse",
            target_specialty=specialty("DES-GEN"),
            start_date=date(2026, 11, 1),
            end_date=date(2026, 11, 1),
            by=resident.person.user,
        )


def test_a_refusal_needs_its_reason(registry):
    resident = make_resident()
    for season, year in (("winter", 2023), ("summer", 2024)):
        add_placement(resident, season, year)
    request = situation_request(
        resident=resident,
        kind="leave",
        leave_reason="family",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 10, 31),
        by=resident.person.user,
    )
    with pytest.raises(ValidationError, match="motif du refus"):
        situation_decide(situation=request, approve=False, by=registry)
    request.refresh_from_db()
    assert request.status == "requested"


def test_mass_phase_change_is_all_or_nothing_and_undone_the_same_day(registry):
    good = [make_resident() for _ in range(3)]
    for resident in good:
        add_placement(resident, "winter", 2023)
        add_placement(resident, "summer", 2024)
    blocked = make_resident(last_name="Bloquée")
    add_placement(blocked, "winter", 2023, validation="not_validated")
    with pytest.raises(ValidationError) as error:
        phase_change_many(
            residents=[*good, blocked],
            jury_date=date(2024, 10, 15),
            decision="validated",
            by=registry,
        )
    assert "Léa BLOQUÉE" in " ".join(error.value.messages)
    assert "stage non validé" in " ".join(error.value.messages)
    assert PhasePeriod.objects.filter(phase__code="approfondissement").count() == 0

    operation = phase_change_many(
        residents=good, jury_date=date(2024, 10, 15), decision="validated", by=registry
    )
    assert operation.count == 3
    assert {current_phase(current_enrolment(r)).phase.code for r in good} == {
        "approfondissement"
    }
    mass_operation_undo(operation=operation, by=registry)
    assert {current_phase(current_enrolment(r)).phase.code for r in good} == {"socle"}
    with pytest.raises(ValidationError, match="déjà été annulé"):
        mass_operation_undo(operation=operation, by=registry)


def test_a_jury_on_28_february_of_a_leap_year_opens_the_next_phase(registry):
    """It answered 500: the phase starting 29/02/2028 ended on a 29/02/2029."""
    resident = make_resident()
    add_placement(resident, "winter", 2023)
    add_placement(resident, "summer", 2024)
    phase_change_many(
        residents=[resident],
        jury_date=date(2028, 2, 28),
        decision="validated",
        by=registry,
    )
    opened = current_phase(current_enrolment(resident))
    assert opened.phase.code == "approfondissement"
    # Cardiology's approfondissement lasts 3 years (10 semesters, less socle and
    # consolidation).
    assert (opened.start_date, opened.planned_end) == (
        date(2028, 2, 29),
        date(2031, 2, 27),
    )


def test_undo_is_refused_after_the_day(registry):
    resident = make_resident()
    operation = phase_change_many(
        residents=[resident],
        jury_date=date(2024, 10, 15),
        decision="extended",
        by=registry,
    )
    MassOperation.objects.filter(pk=operation.pk).update(
        at=timezone.make_aware(datetime(2024, 10, 15, 9, 0))
    )
    operation.refresh_from_db()
    with pytest.raises(ValidationError, match="le jour même"):
        mass_operation_undo(operation=operation, by=registry)


def test_an_unaccredited_site_in_another_subdivision_is_still_a_site():
    resident = make_resident()
    site = accredited_site(subdivision_code="RENNES")
    placement = add_placement(resident, "winter", 2023, site=site)
    assert placement.training_site.subdivision.code == "RENNES"


def test_inter_chu_is_closed_in_socle_and_bounded_by_the_quota(registry):
    from domains.residents.models import InterChuQuota

    first, second = make_resident(), make_resident()
    for resident in (first, second):
        add_placement(resident, "winter", 2023)
        add_placement(resident, "summer", 2024)
    semester = SemesterFactory(season="summer", year=2027)
    request = dict(
        kind="inter_chu",
        target_subdivision=subdivision("RENNES"),
        start_date=semester.start_date,
        end_date=semester.end_date,
    )
    with pytest.raises(ValidationError, match="pas ouvert en phase socle"):
        situation_request(resident=first, by=registry, **request)
    phase_change_many(
        residents=[first, second],
        jury_date=date(2024, 10, 20),
        decision="validated",
        by=registry,
    )
    with pytest.raises(ValidationError, match="autre subdivision"):
        situation_request(
            resident=first,
            by=registry,
            **(request | {"target_subdivision": subdivision("LYON")}),
        )
    InterChuQuota.objects.create(
        subdivision=subdivision("LYON"), semester=semester, places=1
    )
    granted = situation_request(resident=first, by=registry, **request)
    waiting = situation_request(resident=second, by=registry, **request)
    situation_decide(situation=granted, approve=True, by=registry)
    with pytest.raises(ValidationError, match="quota d'interCHU .* est atteint"):
        situation_decide(situation=waiting, approve=True, by=registry)
    # Her pending request stands for the period; withdrawn, a new one meets the quota.
    with pytest.raises(ValidationError, match="chevauche la demande « InterCHU"):
        situation_request(resident=second, by=registry, **request)
    situation_withdraw(situation=waiting, by=second.person.user)
    with pytest.raises(ValidationError, match="quota d'interCHU"):
        situation_request(resident=second, by=registry, **request)
