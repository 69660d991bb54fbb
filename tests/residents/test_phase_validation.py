"""A jury validates a phase only once it can be complete: the phase's minimum of
validated semesters for the resident's DES (issue 18, defect 3)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from domains.residents import rules
from domains.residents.models import PhasePeriod
from domains.residents.rules import PlacementFact, SpecialtyFact
from domains.residents.selectors import current_enrolment, current_phase
from domains.residents.services import phase_change_many
from tests.conftest import page_text
from tests.factories.residents import add_placement, make_resident

CARDIOLOGY = SpecialtyFact(
    code="DES-MCA", label="Médecine cardiovasculaire", semesters=10
)
UROLOGY = SpecialtyFact(code="DES-URO", label="Urologie", semesters=12, surgical=True)
BIOLOGY = SpecialtyFact(code="DES-BM", label="Biologie médicale", semesters=8)


def stage(start: date, validation="validated", phase="socle"):
    return PlacementFact(
        start=start,
        end=date(start.year + 1, 4, 30),
        phase=phase,
        validation=validation,
        place="CHU",
    )


def test_each_phase_needs_its_semesters_for_the_des():
    assert [rules.phase_minimum(code, CARDIOLOGY) for code in rules.PHASE_ORDER] == [
        2,
        6,
        2,
    ]
    # Surgical: two years as Docteur Junior; medical biology: two years of socle.
    assert [rules.phase_minimum(code, UROLOGY) for code in rules.PHASE_ORDER] == [
        2,
        6,
        4,
    ]
    assert rules.phase_minimum("socle", BIOLOGY) == 4
    # A training plan's own minimum, once there are training plans, takes its place.
    assert rules.phase_minimum("socle", CARDIOLOGY, plan_minimum=3) == 3


def test_the_refusal_says_the_broken_rule_in_french():
    one = [stage(date(2025, 11, 1)), stage(date(2026, 5, 1), validation="pending")]
    assert rules.phase_change_refusal(
        one,
        "socle",
        required=2,
        specialty="Médecine cardiovasculaire",
        phase_label="Phase socle",
    ) == (
        "Phase socle : 1 semestre validé sur les 2 exigés pour le DES de Médecine "
        "cardiovasculaire."
    )
    assert rules.phase_change_refusal(
        [], "socle", required=2, specialty="Oncologie", phase_label="Phase socle"
    ) == ("Phase socle : 0 semestre validé sur les 2 exigés pour le DES d'Oncologie.")
    both = [*one[:1], stage(date(2026, 5, 1))]
    assert rules.phase_change_refusal(both, "socle", required=2) is None


@pytest.mark.django_db
def test_a_socle_after_one_month_without_a_validated_semester_is_refused(
    faculty_registry,
):
    registry = faculty_registry
    resident = make_resident(start=("winter", 2026), last_name="Pressée")
    add_placement(resident, "winter", 2026, validation=None)
    with pytest.raises(ValidationError) as error:
        phase_change_many(
            residents=[resident],
            jury_date=date(2026, 12, 1),
            decision="validated",
            by=registry,
        )
    assert error.value.messages == [
        "Léa PRESSÉE — Phase socle : 0 semestre validé sur les 2 exigés pour le DES "
        "de Médecine cardiovasculaire."
    ]
    assert current_phase(current_enrolment(resident)).jury_decision == ""
    assert not PhasePeriod.objects.filter(phase__code="approfondissement").exists()


@pytest.mark.django_db
def test_with_its_validated_semesters_the_socle_passes(faculty_registry):
    registry = faculty_registry
    resident = make_resident(start=("winter", 2025))
    add_placement(resident, "winter", 2025)
    add_placement(resident, "summer", 2026)
    operation = phase_change_many(
        residents=[resident],
        jury_date=date(2026, 10, 20),
        decision="validated",
        by=registry,
    )
    assert operation.count == 1
    opened = current_phase(current_enrolment(resident))
    assert opened.phase.code == "approfondissement"
    assert opened.start_date == date(2026, 10, 21)


@pytest.mark.django_db
def test_every_refused_resident_is_named_and_nothing_is_written(faculty_registry):
    registry = faculty_registry
    ready = make_resident(last_name="Prête")
    add_placement(ready, "winter", 2023)
    add_placement(ready, "summer", 2024)
    short = make_resident(last_name="Courte")
    add_placement(short, "winter", 2023)
    blocked = make_resident(last_name="Bloquée")
    add_placement(blocked, "winter", 2023)
    add_placement(blocked, "summer", 2024, validation="not_validated")
    with pytest.raises(ValidationError) as error:
        phase_change_many(
            residents=[ready, short, blocked],
            jury_date=date(2024, 10, 20),
            decision="validated",
            by=registry,
        )
    messages = error.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Léa COURTE — Phase socle : 1 semestre validé")
    assert messages[1].startswith("Léa BLOQUÉE — La phase en cours a un stage non")
    assert not PhasePeriod.objects.filter(jury_decision="validated").exists()


@pytest.mark.django_db
def test_the_jury_preview_says_for_each_resident_whether_she_can_pass(
    client, faculty_registry
):
    ready = make_resident(first_name="Anne", last_name="Prête")
    add_placement(ready, "winter", 2023)
    add_placement(ready, "summer", 2024)
    short = make_resident(first_name="Anne", last_name="Courte")
    add_placement(short, "winter", 2023)
    client.force_login(faculty_registry)
    page = page_text(
        client.post(
            "/cockpit/internes/actions/",
            {"action": "phase", "selection": [ready.pk, short.pk]},
        )
    )
    assert (
        "Anne PRÊTE — Validation possible — Phase socle : 2 semestres validés sur "
        "les 2 exigés."
    ) in page
    assert (
        "Anne COURTE — Validation impossible — Phase socle : 1 semestre validé sur "
        "les 2 exigés pour le DES de Médecine cardiovasculaire."
    ) in page
