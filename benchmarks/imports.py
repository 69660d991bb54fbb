"""Legacy recovery at national size: each kind imported (dry run, then commit), side by
side with django-import-export importing the same placements file into the same model.

Run from the project root with the project's venv: `python -m benchmarks.imports`.
Generates 4,000 establishments, 12,000 sites, 30,000 accreditations, 43,000 residents and
100,000 placements as CSV files (BENCH_SCALE=0.1 for a quick look; a smoke run: 0.002,
and the dry run of the placements only), copies a migrated throw-away SQLite database
(see benchmarks/common.py), then runs `import_legacy` once per kind and mode, each in
its own process (time and peak memory of that process). The anchor: a
django-import-export ModelResource importing the placements file (its first
ANCHOR_ROWS rows: it looks every foreign key up row by row) in the same run.

Goal (issue "Legacy data recovery"): the 100,000 placements in under 90 s, peak memory
under 500 MB, at least 5× the anchor's rows per second.
"""

import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import (
    ROOT,
    SMOKE,
    Table,
    child_env,
    copy_database,
    finish,
    manage,
    template,
    workdir,
)

SCALE = float(os.environ.get("BENCH_SCALE", "0.002" if SMOKE else "1"))
COUNTS = {
    "etablissements": 4000,
    "terrains": 12000,
    "agrements": 30000,
    "internes": 43000,
    "stages": 100000,
}
COUNTS = {kind: max(50, int(n * SCALE)) for kind, n in COUNTS.items()}
ANCHOR_ROWS = min(COUNTS["stages"], int(os.environ.get("ANCHOR_ROWS", "10000")))
GOAL_SECONDS, GOAL_MB, GOAL_SPEEDUP = 90.0, 500.0, 5.0
SUBDIVISIONS = [
    "AMIENS", "ANTILLES-GUYANE", "BESANCON", "BORDEAUX", "BREST", "CAEN",
    "CLERMONT-FERRAND", "DIJON", "GRENOBLE", "ILE-DE-FRANCE", "LILLE", "LIMOGES",
    "LYON", "MARSEILLE", "MONTPELLIER", "NANCY", "NANTES", "NICE", "OCEAN-INDIEN",
    "POITIERS", "REIMS", "RENNES", "ROUEN", "SAINT-ETIENNE", "STRASBOURG", "TOULOUSE",
    "TOURS", "ANGERS",
]  # fmt: skip
SPECIALTIES = ["DES-MCA", "DES-MGE", "DES-PNE", "DES-NEP", "DES-DVE", "DES-GER"]
SEMESTERS = [
    f"{'Novembre' if winter else 'Mai'} {year}"
    for year in range(2020, 2026)
    for winter in (False, True)
]


def luhn_finess(first_eight: str) -> str:
    total = 0
    for index, digit in enumerate(reversed(first_eight)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return first_eight + str((10 - total % 10) % 10)


def write(path: Path, rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)


def generate(directory: Path) -> dict[str, Path]:
    rng = random.Random(2026)
    files = {kind: directory / f"{kind}.csv" for kind in COUNTS}
    n = COUNTS
    write(
        files["etablissements"],
        [
            [
                "Identifiant IMOTEP",
                "Raison sociale",
                "FINESS",
                "SIRET",
                "Code postal",
                "Ville",
            ]
        ]
        + [
            [
                f"E{i}",
                f"Centre hospitalier n°{i}",
                luhn_finess(f"75{i:06d}") if rng.random() < 0.9 else "",
                "",
                "75010",
                "Paris",
            ]
            for i in range(n["etablissements"])
        ],
    )
    site_subdivision = [rng.choice(SUBDIVISIONS) for _ in range(n["terrains"])]
    write(
        files["terrains"],
        [["Identifiant IMOTEP", "Libellé", "Établissement", "Subdivision", "Type"]]
        + [
            [f"T{i}", f"Service n°{i}", f"E{i % n['etablissements']}", site_subdivision[i],
             "Hospitalier" if rng.random() < 0.8 else "Ambulatoire"]
            for i in range(n["terrains"])
        ],
    )  # fmt: skip
    write(
        files["agrements"],
        [["Terrain", "Spécialité", "Phases", "Type", "Début", "Fin", "Décision"]]
        + [
            [f"T{i % n['terrains']}", SPECIALTIES[(i // n["terrains"]) % len(SPECIALTIES)],
             "Socle, Approfondissement", "Principal", "01/11/2019", "31/10/2030", "Accordé"]
            for i in range(n["agrements"])
        ],
    )  # fmt: skip
    resident_specialty = [rng.choice(SPECIALTIES) for _ in range(n["internes"])]
    write(
        files["internes"],
        [["Identifiant IMOTEP", "Nom", "Prénom", "Email", "Subdivision", "Promotion", "DES"]]
        + [
            [f"I{i}", f"Nom{i}", "Camille", f"interne{i}@etu.exemple.fr",
             rng.choice(SUBDIVISIONS), "2020", resident_specialty[i]]
            for i in range(n["internes"])
        ],
    )  # fmt: skip
    rows = [
        ["Interne", "Semestre", "Terrain", "Spécialité", "Phase", "Validé", "Motif"]
    ]
    for i in range(n["stages"]):
        resident = i % n["internes"]
        rows.append(
            [f"I{resident}", SEMESTERS[i // n["internes"]], f"T{rng.randrange(n['terrains'])}",
             resident_specialty[resident], "Socle", "Oui" if rng.random() < 0.97 else "X", ""]
        )  # fmt: skip
    write(files["stages"], rows)
    return files


PREPARE = """
from domains.demo.seed import ensure_semesters
from domains.referential.models import Faculty, Subdivision
ensure_semesters(2019, 2026)
for s in Subdivision.objects.all():
    Faculty.objects.get_or_create(name=f"UFR de {s.name}", defaults={"subdivision": s})
"""


def measured(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall time and peak RSS (MB) of one child process, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


ANCHOR = """
import time, tablib
from django.db import transaction
from import_export import fields, resources, widgets
from domains.residents.models import Placement, Resident
from domains.referential.models import Phase, Semester, Specialty, TrainingSite
from imports.values import parse_semester

class SemesterWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        season, year = parse_semester(value)
        return Semester.objects.get(season=season, year=year)

class ValidationWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return "validated" if value in ("Oui", "O", "X", "1") else "not_validated"

class PlacementResource(resources.ModelResource):
    resident = fields.Field("resident", "Interne",
        widgets.ForeignKeyWidget(Resident, "person__legacy_ids__value"))
    semester = fields.Field("semester", "Semestre", SemesterWidget(Semester))
    training_site = fields.Field("training_site", "Terrain",
        widgets.ForeignKeyWidget(TrainingSite, "legacy_id"))
    specialty = fields.Field("specialty", "Spécialité",
        widgets.ForeignKeyWidget(Specialty, "code"))
    phase = fields.Field("phase", "Phase", widgets.ForeignKeyWidget(Phase, "label"))
    validation = fields.Field("validation", "Validé", ValidationWidget())

    class Meta:
        model = Placement
        fields = ("resident", "semester", "training_site", "specialty", "phase",
                  "validation")
        import_id_fields = ("resident", "semester")

import os
path, rows = os.environ["ANCHOR_FILE"], int(os.environ["ANCHOR_ROWS"])
lines = open(path, encoding="utf-8").read().splitlines()
text = "\\n".join([lines[0]] + [l.replace("Socle", "Phase socle") for l in lines[1 : rows + 1]])
dataset = tablib.Dataset().load(text, format="csv", delimiter=";")
started = time.perf_counter()
with transaction.atomic():
    result = PlacementResource().import_data(dataset, dry_run=False, raise_errors=False)
    transaction.set_rollback(True)
print("ANCHOR", time.perf_counter() - started, result.totals)
"""


def main() -> int:
    files = generate(workdir())
    database = workdir() / "db.sqlite3"
    copy_database(template("migrated"), database)
    env = child_env(database)
    manage("shell", "-c", PREPARE, database=database)
    manage_py = [sys.executable, "manage.py"]
    results = []
    for kind, path in files.items():
        region = ["--region", "11"] if kind == "etablissements" else []
        command = [*manage_py, "import_legacy", kind, str(path), *region]
        # Every process starts Django (seconds): a smoke run dry-runs the placements only.
        dry = measured(command, env) if kind == "stages" or not SMOKE else None
        commit = measured([*command, "--commit"], env)
        results.append((kind, COUNTS[kind], dry, commit))
        print(
            f"  {kind}: dry run {f'{dry[0]:.1f} s' if dry else '—'}, "
            f"commit {commit[0]:.1f} s",
            flush=True,
        )
    _time, _mb, anchor_out = measured(
        [*manage_py, "shell", "-c", ANCHOR],
        {**env, "ANCHOR_FILE": str(files["stages"]), "ANCHOR_ROWS": str(ANCHOR_ROWS)},
    )
    anchor_seconds = float(
        next(
            line for line in anchor_out.splitlines() if line.startswith("ANCHOR")
        ).split()[1]
    )
    print(
        "\nLegacy recovery on SQLite, one process per run (wall time includes start-up);"
        "\nanchor: django-import-export ModelResource importing the same placements file"
        f" (its first {ANCHOR_ROWS} rows, foreign keys looked up row by row).\n"
    )
    table = Table(
        ("kind", 16, ""),
        ("rows", 8, "d"),
        ("dry s", 8, ".1f"),
        ("commit s", 10, ".1f"),
        ("rows/s", 9, ".0f"),
        ("peak MB", 9, ".0f"),
    )
    for kind, rows, dry, commit in results:
        table.row(
            kind,
            rows,
            dry[0] if dry else "—",
            commit[0],
            rows / commit[0],
            max(dry[1] if dry else 0, commit[1]),
        )
    _kind, rows, dry, commit = results[-1]
    ours = rows / commit[0]
    theirs = ANCHOR_ROWS / anchor_seconds
    speedup = ours / theirs
    peak = max(dry[1], commit[1])
    print(
        f"\nplacements: {commit[0]:.1f} s for {rows} rows (goal < {GOAL_SECONDS:.0f} s, "
        f"ratio {commit[0] / GOAL_SECONDS:.2f}); peak {peak:.0f} MB (goal < {GOAL_MB:.0f},"
        f" ratio {peak / GOAL_MB:.2f}); {ours:.0f} rows/s against the anchor's "
        f"{theirs:.0f} rows/s: {speedup:.1f}× (goal ≥ {GOAL_SPEEDUP:.0f}×)"
    )
    misses = []
    if SCALE >= 1 and commit[0] >= GOAL_SECONDS:
        misses.append(f"placements {commit[0]:.0f} s")
    if peak >= GOAL_MB:
        misses.append(f"peak {peak:.0f} MB")
    if speedup < GOAL_SPEEDUP:
        misses.append(f"only {speedup:.1f}× the anchor")
    return finish(
        misses,
        f"{rows} placements in {commit[0]:.1f} s, {peak:.0f} MB, "
        f"{speedup:.1f}× django-import-export",
    )


if __name__ == "__main__":
    sys.exit(main())
