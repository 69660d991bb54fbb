"""The national catalogues shipped in data/ (sources and doubts in data/SOURCES.md).

Loaded once by a data migration; afterwards they are data that admins correct in the
Wagtail admin. Functions take the model classes so migrations can pass historical models.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

PHASES = [
    ("socle", "Phase socle", 1),
    ("approfondissement", "Phase d'approfondissement", 2),
    ("consolidation", "Phase de consolidation", 3),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(Region, Subdivision, Specialty, Phase) -> None:
    regions = {}
    for row in read_csv("regions.csv"):
        regions[row["code"]], _ = Region.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"]}
        )
    for row in read_csv("subdivisions.csv"):
        Subdivision.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region": regions[row["region_code"]],
                "chu_city": row["chu_city"],
                "overseas": row["overseas"] == "true",
                "comment": row["comment"],
            },
        )
    extra = {row["code"]: row for row in read_csv("specialties_extra.csv")}
    rows = read_csv("specialties.csv")
    # Parents (DES) before their options.
    for row in sorted(rows, key=lambda r: bool(r["parent_code"])):
        more = extra.get(row["code"], {})
        notes = more.get("notes", "")
        Specialty.objects.update_or_create(
            code=row["code"],
            defaults={
                "label": row["label"],
                "kind": row["kind"],
                "discipline": row["discipline"],
                "duration_semesters": int(row["duration_semesters"]),
                "surgical": row["surgical"] == "true",
                "parent": Specialty.objects.get(code=row["parent_code"])
                if row["parent_code"]
                else None,
                "national_code": more.get("ans_nos_code", ""),
                "duration_basis": more.get("duration_basis", "")[:200],
                "notes": notes,
                "is_open": "FERMÉ" not in notes,
            },
        )
    for code, label, order in PHASES:
        Phase.objects.update_or_create(
            code=code, defaults={"label": label, "order": order}
        )
