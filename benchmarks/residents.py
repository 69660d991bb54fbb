"""Residents at national scale (~43,000 residents): pages, list, statistics, mass change.

Run from the project root with the project's venv: `python -m benchmarks.residents`
(BENCH_DB=path reuses a seeded database; see benchmarks/common.py). Each figure is
printed with its ratio to the issue's goal, which is the anchor here (there is no admin
equivalent of these pages):
- resident dashboard (Mon parcours) and resident page: median < 200 ms, and the same
  number of queries for a resident with 1 stage and one with many;
- residents list filtered by specialty and phase for a region (ARS): median < 300 ms;
- each statistics dashboard nationally (DGOS): median < 1 s;
- the mass phase change of 1,000 residents: < 10 s (rolled back afterwards).
"""

import statistics
import sys
import time
from datetime import date

from benchmarks.common import (
    SMOKE,
    Table,
    client_for,
    finish,
    median_ms,
    prepare_database,
    query_count,
    runs,
    setup_django,
    signed_in,
    sized,
)

GOALS_MS = {"page": 200.0, "list": 300.0, "statistics": 1000.0, "mass": 10000.0}


def measure() -> list[tuple[str, float, str, str]]:
    from django.db import transaction
    from django.db.models import Count

    from domains.referential.models import Phase, Region, Specialty
    from domains.residents.models import PhasePeriod, Resident
    from domains.residents.services import phase_change_many

    rows = []
    # Residents with the fewest and the most stages: the page must not grow with them.
    by_stages = Resident.objects.annotate(n=Count("placements")).order_by("n")
    few, many = by_stages.first(), by_stages.last()
    for label, resident in (("1 stage", few), (f"{many.n} stages", many)):
        client = client_for(resident.person.user)
        url = "/cockpit/mon-parcours/"
        rows.append(
            (
                f"Mon parcours ({label})",
                median_ms(client, url),
                "page",
                f"{query_count(client, url)} requêtes",
            )
        )
    registry = signed_in("scolarite@demo.siimop.fr")
    lyon_residents = Resident.objects.filter(subdivision__code="LYON").annotate(
        n=Count("placements")
    )
    for resident in (
        lyon_residents.order_by("n").first(),
        lyon_residents.order_by("-n").first(),
    ):
        url = f"/cockpit/internes/{resident.pk}/"
        rows.append(
            (
                f"Page d'un interne ({resident.n} stages), scolarité",
                median_ms(registry, url),
                "page",
                f"{query_count(registry, url)} requêtes",
            )
        )
    ars = signed_in("ars@demo.siimop.fr")
    general = Specialty.objects.get(code="DES-MGE").pk
    deep = Phase.objects.get(code="approfondissement").pk
    url = f"/cockpit/internes/?specialty={general}&phase={deep}"
    rows.append(("Liste filtrée (DES + phase), ARS", median_ms(ars, url), "list", ""))
    dgos = signed_in("dgos@demo.siimop.fr")
    rows.append(
        (
            "Statistiques nationales, DGOS",
            median_ms(dgos, "/cockpit/statistiques/internes/"),
            "statistics",
            "",
        )
    )
    region = Region.objects.get(code="11").pk
    rows.append(
        (
            "Statistiques Île-de-France, DGOS",
            median_ms(dgos, f"/cockpit/statistiques/internes/?region={region}"),
            "statistics",
            "",
        )
    )
    rows.append(
        (
            "Statistiques de sa région, ARS",
            median_ms(ars, "/cockpit/statistiques/internes/"),
            "statistics",
            "",
        )
    )
    # 1,000 residents in socle without a non-validated stage, as a jury would list.
    socle = (
        PhasePeriod.objects.filter(
            actual_end__isnull=True,
            phase__code="socle",
            enrolment__state="active",
            enrolment__resident__placements__phase__code="socle",
        )
        .exclude(enrolment__resident__placements__validation="not_validated")
        .distinct()
    )
    residents = list(
        Resident.objects.filter(
            pk__in=socle.values("enrolment__resident_id")[:1000]
        ).select_related("person")
    )
    from domains.people.models import User

    by = User.objects.get(username="scolarite@demo.siimop.fr")
    timings = []
    for _ in range(sized(3, 1)):
        with transaction.atomic():
            jury_ready(residents, by)
            started = time.perf_counter()
            phase_change_many(
                residents=residents,
                jury_date=date.today(),
                decision="validated",
                by=by,
            )
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    rows.append(
        (
            f"Changement de phase de masse ({len(residents)} internes)",
            statistics.median(timings),
            "mass",
            "",
        )
    )
    return rows


def jury_ready(residents, by) -> None:
    """What a jury finds (untimed, rolled back with the run): each resident's socle
    stages validated, as many as her DES requires (the seed's socle residents are in
    their first semester), and the registry acting for each subdivision the 1,000
    span (about 380 residents are in socle in each)."""
    from domains.people.models import Function
    from domains.people.roles import Role
    from domains.people.selectors import forget_functions
    from domains.referential.models import Semester
    from domains.residents.models import Placement
    from domains.residents.rules import validated_semesters
    from domains.residents.selectors import phase_states

    Placement.objects.filter(resident__in=residents, phase__code="socle").update(
        validation="validated"
    )
    semesters = list(Semester.objects.order_by("-start_date"))
    taken = set(
        Placement.objects.filter(resident__in=residents).values_list(
            "resident_id", "semester_id"
        )
    )
    # Each resident's first socle stage (the latest written wins: newest first).
    model = {
        p.resident_id: p
        for p in Placement.objects.filter(resident__in=residents, phase__code="socle")
        .select_related("semester")
        .order_by("-semester__start_date")
    }
    earlier = []
    for state in phase_states(residents):
        missing = state.required - validated_semesters(state.placements, "socle")
        first = model[state.resident.pk]
        for semester in semesters:
            if missing <= 0:
                break
            if semester.start_date < first.semester.start_date and (
                (state.resident.pk, semester.pk) not in taken
            ):
                earlier.append(
                    Placement(
                        resident_id=state.resident.pk,
                        semester=semester,
                        training_site_id=first.training_site_id,
                        specialty_id=first.specialty_id,
                        phase_id=first.phase_id,
                        validation="validated",
                    )
                )
                missing -= 1
    Placement.objects.bulk_create(earlier)
    subdivisions = {r.subdivision_id for r in residents}
    Function.objects.bulk_create(
        Function(
            person=by.person,
            role=Role.FACULTY_REGISTRY,
            subdivision_id=subdivision,
            start_date=date(2020, 1, 1),
        )
        for subdivision in subdivisions
        if subdivision != by.person.functions.first().subdivision_id
    )
    forget_functions(by)


def main() -> int:
    database = prepare_database()
    setup_django(database)
    from domains.residents.models import Placement, Resident

    rows = measure()
    print(
        f"Residents at {'small' if SMOKE else 'national'} scale (SQLite): "
        f"{Resident.objects.count()} residents, {Placement.objects.count()} stages; "
        f"median of {runs(7)} requests."
    )
    print("anchor: the issue's goal for each figure (ratio = figure / goal).\n")
    table = Table(
        ("case", 52, ""),
        ("ms", 9, ".1f"),
        ("goal ms", 9, ".0f"),
        ("ratio", 7, ".2f"),
        ("  note", 0, ""),
    )
    for label, ms, goal_key, note in rows:
        goal = GOALS_MS[goal_key]
        table.row(
            label,
            ms,
            goal,
            ms / goal,
            f"  {note}",
            miss="" if ms / goal < 1.0 else f"{label} {ms:.0f} ms",
        )
    misses = table.misses
    pages = [note for label, _ms, key, note in rows if key == "page"]
    if pages[0] != pages[1] or pages[2] != pages[3]:
        misses.append(f"query counts grow with the stages: {pages}")
    worst = max(rows, key=lambda r: r[1] / GOALS_MS[r[2]])
    return finish(
        misses,
        f"every figure under its goal (closest: {worst[0]}, "
        f"{worst[1]:.0f} ms, ratio {worst[1] / GOALS_MS[worst[2]]:.2f}); page query "
        "counts do not grow with the stages",
    )


if __name__ == "__main__":
    sys.exit(main())
