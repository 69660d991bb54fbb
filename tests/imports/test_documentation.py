"""The guide of imports/README.md names every column of every kind, and its examples
import cleanly."""

from pathlib import Path

import pytest

from domains.people.permissions import SYSTEM
from domains.residents.models import Placement
from imports.kinds import IMPORTERS
from imports.pipeline import Status, run_import
from tests.factories.referential import SemesterFactory, region
from tests.factories.residents import faculty

ROOT = Path(__file__).resolve().parents[2]


def test_the_guide_documents_every_column():
    guide = (ROOT / "imports" / "README.md").read_text(encoding="utf-8")
    for kind, importer in IMPORTERS.items():
        assert f"`{kind}`" in guide
        for column in importer.columns:
            assert f"| {column.label} |" in guide, (kind, column.label)
        assert (ROOT / "imports" / "examples" / f"{kind}.xlsx").exists()


@pytest.mark.django_db
def test_the_examples_import_in_order_without_rejection():
    for year in (2022, 2023):
        SemesterFactory(season="winter", year=year)
        SemesterFactory(season="summer", year=year)
    faculty("LYON")
    for kind in (
        "etablissements",
        "terrains",
        "agrements",
        "internes",
        "stages",
        "personnes",
        "activite",
        "postes",
    ):
        content = (ROOT / "imports" / "examples" / f"{kind}.xlsx").read_bytes()
        report = run_import(
            IMPORTERS[kind](region=region("84"), by=SYSTEM), content, commit=True
        )
        assert report.counts[Status.REJECTED] == 0, (kind, report.problems)
    assert Placement.objects.get(semester__season="winter").mode == "r3c"
    assert Placement.objects.get(semester__season="summer").mode == "archive"
