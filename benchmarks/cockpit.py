"""Cockpit lists and export at national scale, side by side with the Django admin.

Run from the project root with the project's venv: `python -m benchmarks.cockpit`.
Seeds `seed_demo --scale national` into a throw-away SQLite database (or reuses the one
named by BENCH_DB; see benchmarks/common.py), then, in one process, times each of the five cockpit lists,
unfiltered and with a typical filter + sort, against the Django admin changelist of the
same model with the same filter (the anchor). Then exports every training site of France
to XLSX in a separate process, to read its time and peak memory.

Goals (issue "The cockpit"): each median < 300 ms and ≤ the admin's (ratio ≤ 1.0);
the export under 15 s and 300 MB.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import (
    ROOT,
    SMOKE,
    Table,
    finish,
    median_ms,
    prepare_database,
    runs,
    setup_django,
    signed_in,
)

LIST_GOAL_MS = 300.0
EXPORT_GOAL_S = 15.0
EXPORT_GOAL_MB = 300.0


def cases() -> list[tuple[str, str, str]]:
    """(case, cockpit URL, admin URL with the same filter and sort)."""
    from domains.referential.models import Phase, Subdivision
    from domains.referential.selectors import current_semester

    lyon = Subdivision.objects.get(code="LYON").pk
    semester = current_semester().pk
    socle = Phase.objects.get(code="socle").pk
    a = "/django-admin"
    return [
        (
            "Établissements",
            "/cockpit/etablissements/",
            f"{a}/referential/establishment/",
        ),
        (
            "Établissements à corriger, par nom",
            "/cockpit/etablissements/?data_quality=to_fix&sort=name",
            f"{a}/referential/establishment/?data_quality__exact=to_fix&o=1",
        ),
        (
            "Terrains de stage",
            "/cockpit/terrains-de-stage/",
            f"{a}/referential/trainingsite/",
        ),
        (
            "Terrains de Lyon, par nom",
            f"/cockpit/terrains-de-stage/?subdivision={lyon}&sort=name",
            f"{a}/referential/trainingsite/?subdivision__id__exact={lyon}&o=1",
        ),
        ("Agréments", "/cockpit/agrements/", f"{a}/referential/accreditation/"),
        (
            "Agréments accordés, par fin",
            "/cockpit/agrements/?state=granted&sort=-end_date",
            f"{a}/referential/accreditation/?state__exact=granted&o=-6",
        ),
        (
            "Postes (semestre en cours)",
            f"/cockpit/postes/?semester={semester}",
            f"{a}/referential/post/?semester__id__exact={semester}",
        ),
        (
            "Postes socle, par spécialité",
            f"/cockpit/postes/?semester={semester}&phase={socle}&sort=specialty",
            f"{a}/referential/post/?semester__id__exact={semester}&phase__id__exact={socle}&o=2",
        ),
        ("Personnes", "/cockpit/personnes/", f"{a}/people/person/"),
        (
            "Personnes « martin », par nom",
            "/cockpit/personnes/?q=martin&sort=last_name",
            f"{a}/people/person/?q=martin&o=1",
        ),
    ]


def measure_lists() -> list[dict]:
    national = signed_in("dgos@demo.siimop.fr")
    admin = signed_in("admin@demo.siimop.fr")
    results = []
    for label, ours, anchor in cases():
        mine, theirs = median_ms(national, ours), median_ms(admin, anchor)
        results.append({"case": label, "ms": mine, "admin_ms": theirs})
    return results


def export_child(database: str) -> None:
    """Runs in its own process: export every training site to XLSX, print time and RSS."""
    setup_django(Path(database))
    from domains.referential.models import TrainingSite

    client = signed_in("dgos@demo.siimop.fr")
    started = time.perf_counter()
    response = client.get("/cockpit/terrains-de-stage/export/xlsx/")
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": peak_mb,
                "bytes": size,
                "rows": TrainingSite.objects.count(),
            }
        )
    )


def measure_export(database: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.cockpit", "--export-child", str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the export failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    database = prepare_database()
    setup_django(database)
    lists = measure_lists()
    export = measure_export(database)

    print(
        f"Cockpit at {'small' if SMOKE else 'national'} scale (SQLite), median of "
        f"{runs(7)} requests, national user;"
    )
    print(
        "anchor: the Django admin changelist of the same model, same filter, same run.\n"
    )
    table = Table(
        ("list", 38, ""),
        ("cockpit ms", 11, ".1f"),
        ("admin ms", 10, ".1f"),
        ("ratio", 7, ".2f"),
        ("goal", 14, ""),
    )
    for row in lists:
        ratio = row["ms"] / row["admin_ms"]
        ok = row["ms"] < LIST_GOAL_MS and ratio <= 1.0
        table.row(
            row["case"],
            row["ms"],
            row["admin_ms"],
            ratio,
            "<300, ≤1.0",
            miss="" if ok else f"{row['case']} ({row['ms']:.0f} ms, ratio {ratio:.2f})",
        )
    print()
    print(
        f"XLSX export of {export['rows']} training sites: {export['seconds']:.1f} s "
        f"(goal < {EXPORT_GOAL_S:.0f} s, ratio {export['seconds'] / EXPORT_GOAL_S:.2f}), "
        f"peak RSS {export['peak_mb']:.0f} MB (goal < {EXPORT_GOAL_MB:.0f} MB, ratio "
        f"{export['peak_mb'] / EXPORT_GOAL_MB:.2f}), file {export['bytes'] / 1e6:.1f} MB"
    )
    misses = table.misses
    if export["seconds"] >= EXPORT_GOAL_S:
        misses.append(f"export {export['seconds']:.1f} s")
    if export["peak_mb"] >= EXPORT_GOAL_MB:
        misses.append(f"export {export['peak_mb']:.0f} MB")
    slowest = max(lists, key=lambda r: r["ms"])
    return finish(
        misses,
        f"10 lists ≤ admin and < 300 ms (slowest {slowest['ms']:.0f} ms, "
        f"{slowest['case']}); export {export['seconds']:.1f} s, {export['peak_mb']:.0f} MB",
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--export-child":
        export_child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
