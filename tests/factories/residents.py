"""Residents with a path, through the services (so every rule holds)."""

from datetime import date
from itertools import count

from domains.people.permissions import SYSTEM
from domains.referential.models import Faculty
from domains.residents.models import Resident
from domains.residents.services import (
    placement_create,
    placements_validate,
    resident_create,
)
from tests.factories.people import make_person
from tests.factories.referential import (
    AccreditationFactory,
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    specialty,
    subdivision,
)

_counter = count(1)
ALL_PHASES = ("socle", "approfondissement", "consolidation")


def faculty(subdivision_code: str = "LYON") -> Faculty:
    return Faculty.objects.get_or_create(
        name=f"Faculté de médecine de {subdivision_code.title()}",
        defaults={"subdivision": subdivision(subdivision_code)},
    )[0]


def make_resident(
    *,
    subdivision_code: str = "LYON",
    specialty_code: str = "DES-MCA",
    cohort: int = 2023,
    start: tuple[str, int] = ("winter", 2023),
    email: str | None = None,
    first_name: str = "Léa",
    last_name: str = "Bernard",
    **extra,
) -> Resident:
    n = next(_counter)
    extra.setdefault("by", SYSTEM)
    person = make_person(
        email=email or f"interne{n}@etu.exemple.fr",
        first_name=first_name,
        last_name=f"{last_name}{n}" if last_name == "Bernard" else last_name,
    )
    return resident_create(
        person=person,
        faculty=faculty(subdivision_code),
        subdivision=subdivision(subdivision_code),
        cohort=cohort,
        ranking_kind="ecn",
        national_rank=1000 + n,
        specialty=specialty(specialty_code),
        start_semester=SemesterFactory(season=start[0], year=start[1]),
        **extra,
    )


def accredited_site(
    specialty_code: str = "DES-MCA", subdivision_code: str = "LYON", **site
):
    training_site = TrainingSiteFactory(
        subdivision=subdivision(subdivision_code), **site
    )
    AccreditationFactory(
        training_site=training_site,
        specialty=specialty(specialty_code),
        start_date=date(2018, 11, 1),
        end_date=date(2035, 10, 31),
        phases=[phase(code) for code in ALL_PHASES],
    )
    return training_site


def add_placement(
    resident: Resident,
    season: str,
    year: int,
    *,
    validation: str | None = "validated",
    phase_code: str = "socle",
    site=None,
    specialty_code: str = "DES-MCA",
    reasons: str = "",
    absence_days: int = 0,
    by=SYSTEM,
):
    placement = placement_create(
        resident=resident,
        semester=SemesterFactory(season=season, year=year),
        training_site=site or accredited_site(specialty_code),
        specialty=specialty(specialty_code),
        phase=phase(phase_code),
        by=by,
    )
    if validation in ("validated", "not_validated"):
        placements_validate(
            decisions=[
                {
                    "placement": placement,
                    "validated": validation == "validated",
                    "reasons": reasons or "Objectifs non atteints.",
                    "absence_days": absence_days,
                }
            ],
            by=by,
        )
    placement.refresh_from_db()
    return placement
