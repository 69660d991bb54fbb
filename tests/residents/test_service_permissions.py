"""Every write service of residents asks who acts (issue 18, item 5): the faculty
registry of another subdivision is refused by each, the rightful one passes, whatever
view, task or import calls it."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from domains.residents.models import Placement, SpecialSituation
from domains.residents.selectors import current_enrolment, current_phase
from domains.residents.services import (
    enrolment_dates_many,
    mass_operation_undo,
    phase_change_many,
    placement_create,
    placements_import,
    placements_validate,
    resident_create,
    residents_import,
    situation_decide,
    situation_give_opinion,
    situation_request,
    situation_withdraw,
)
from tests.factories.people import make_person
from tests.factories.referential import SemesterFactory, phase, specialty, subdivision
from tests.factories.residents import (
    accredited_site,
    add_placement,
    faculty,
    make_resident,
)

pytestmark = pytest.mark.django_db
REFUSED = "Votre fonction ne vous permet pas"


@pytest.fixture
def lea():
    """A Lyon resident in cardiology, her socle complete."""
    resident = make_resident(last_name="Garnier")
    add_placement(resident, "winter", 2023)
    add_placement(resident, "summer", 2024)
    return resident


def test_resident_create(faculty_registry, faculty_registry_elsewhere):
    arguments = dict(
        faculty=faculty("LYON"),
        subdivision=subdivision("LYON"),
        cohort=2025,
        ranking_kind="specialty_group",
        specialty=specialty("DES-MCA"),
        start_semester=SemesterFactory(season="winter", year=2025),
    )
    with pytest.raises(PermissionDenied, match="subdivision Lyon"):
        resident_create(
            person=make_person(), by=faculty_registry_elsewhere, **arguments
        )
    resident = resident_create(person=make_person(), by=faculty_registry, **arguments)
    assert current_phase(current_enrolment(resident)).phase.code == "socle"


def test_placement_create(lea, faculty_registry, faculty_registry_elsewhere):
    arguments = dict(
        resident=lea,
        semester=SemesterFactory(season="winter", year=2024),
        training_site=accredited_site(),
        specialty=specialty("DES-MCA"),
        phase=phase("approfondissement"),
    )
    with pytest.raises(PermissionDenied, match="enregistrer un stage de Léa GARNIER"):
        placement_create(by=faculty_registry_elsewhere, **arguments)
    assert placement_create(by=faculty_registry, **arguments).pk


def test_placements_validate(lea, faculty_registry, faculty_registry_elsewhere):
    pending = add_placement(lea, "winter", 2024, validation=None)
    decisions = [{"placement": pending, "validated": True}]
    with pytest.raises(PermissionDenied, match="valider les stages de : Léa GARNIER"):
        placements_validate(decisions=decisions, by=faculty_registry_elsewhere)
    assert Placement.objects.get(pk=pending.pk).validation == "pending"
    assert placements_validate(decisions=decisions, by=faculty_registry) == 1


def leave(resident, by):
    return situation_request(
        resident=resident,
        kind="research",
        start_date=date(2027, 11, 1),
        end_date=date(2028, 10, 31),
        by=by,
    )


def test_situation_request(lea, faculty_registry, faculty_registry_elsewhere, people):
    for outsider in (faculty_registry_elsewhere, people.resident_elsewhere):
        with pytest.raises(PermissionDenied, match="déposer une demande pour"):
            leave(lea, outsider)
    assert not SpecialSituation.objects.exists()
    own = leave(lea, lea.person.user)
    assert own.status == "requested"
    situation_withdraw(situation=own, by=lea.person.user)  # one at a time
    assert leave(lea, faculty_registry).status == "requested"


def test_situation_give_opinion(lea, coordinator, faculty_registry_elsewhere, people):
    situation = leave(lea, lea.person.user)
    for outsider in (faculty_registry_elsewhere, people.coordinator_elsewhere):
        with pytest.raises(PermissionDenied, match="donner un avis"):
            situation_give_opinion(
                situation=situation, opinion="favourable", comment="", by=outsider
            )
    situation_give_opinion(
        situation=situation, opinion="favourable", comment="", by=coordinator
    )
    assert situation.status == "opinion"


def test_situation_decide(lea, faculty_registry, faculty_registry_elsewhere, people):
    situation = leave(lea, lea.person.user)
    # The coordinator gives an opinion; the faculty decides.
    for outsider in (faculty_registry_elsewhere, people.coordinator):
        with pytest.raises(PermissionDenied, match="décider de cette demande"):
            situation_decide(situation=situation, approve=True, by=outsider)
    situation.refresh_from_db()
    assert situation.status == "requested"
    situation_decide(situation=situation, approve=True, by=faculty_registry)
    assert situation.status == "approved"


def test_situation_withdraw(lea, faculty_registry_elsewhere, people):
    situation = leave(lea, lea.person.user)
    for outsider in (faculty_registry_elsewhere, people.resident_elsewhere):
        with pytest.raises(PermissionDenied, match="Seul l'interne"):
            situation_withdraw(situation=situation, by=outsider)
    assert situation_withdraw(situation=situation, by=lea.person.user).status == (
        "withdrawn"
    )


def test_phase_change_and_its_undo(lea, faculty_registry, faculty_registry_elsewhere):
    jury = dict(residents=[lea], jury_date=date(2024, 10, 20), decision="validated")
    with pytest.raises(PermissionDenied, match="parcours de : Léa GARNIER"):
        phase_change_many(by=faculty_registry_elsewhere, **jury)
    assert current_phase(current_enrolment(lea)).phase.code == "socle"
    operation = phase_change_many(by=faculty_registry, **jury)
    with pytest.raises(PermissionDenied, match="parcours de : Léa GARNIER"):
        mass_operation_undo(operation=operation, by=faculty_registry_elsewhere)
    assert current_phase(current_enrolment(lea)).phase.code == "approfondissement"
    mass_operation_undo(operation=operation, by=faculty_registry)
    assert current_phase(current_enrolment(lea)).phase.code == "socle"


def test_thesis_and_diploma(lea, faculty_registry, faculty_registry_elsewhere):
    with pytest.raises(PermissionDenied, match=REFUSED):
        enrolment_dates_many(
            residents=[lea],
            kind="thesis",
            day=date(2027, 6, 1),
            by=faculty_registry_elsewhere,
        )
    assert current_enrolment(lea).thesis_date is None
    enrolment_dates_many(
        residents=[lea], kind="thesis", day=date(2027, 6, 1), by=faculty_registry
    )
    assert current_enrolment(lea).thesis_date == date(2027, 6, 1)


def test_the_legacy_imports(lea, ars, ars_elsewhere, faculty_registry_elsewhere):
    """Whoever commits the region's legacy imports: the ARS of Lyon, not Rennes'."""
    semester = SemesterFactory(season="winter", year=2024)
    row = {
        "resident_id": lea.pk,
        "semester": semester,
        "training_site": accredited_site(),
        "specialty": specialty("DES-MCA"),
        "phase": phase("approfondissement"),
        "validation": "validated",
        "validation_reasons": "",
        "mode": "r3c",
        "archive_reason": "",
    }
    for outsider in (ars_elsewhere, faculty_registry_elsewhere, None):
        with pytest.raises(PermissionDenied, match="reprendre les internes de : Lyon"):
            placements_import(rows=[row], by=outsider)
    assert placements_import(rows=[row], by=ars) == 1
    newcomer = {
        "person": make_person(),
        "faculty": faculty("LYON"),
        "subdivision": subdivision("LYON"),
        "cohort": 2022,
        "national_rank": 12,
        "specialty": specialty("DES-MCA"),
        "option_or_fst": None,
        "start_semester": SemesterFactory(season="winter", year=2022),
        "phase": "approfondissement",
    }
    with pytest.raises(PermissionDenied, match="reprendre les internes de : Lyon"):
        residents_import(rows=[newcomer], by=ars_elsewhere)
    assert residents_import(rows=[newcomer], by=ars) == 1
