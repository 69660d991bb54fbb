"""Import of a semester's opening of posts (ouverture des postes): only on sites
accredited for the DES and phase at the semester's start, never above the
accreditation's maximum number of residents, coupled and mixed posts, an existing
post's seats updated; all or nothing."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from domains.accreditation.models import AccreditationRequest
from domains.referential.models import Accreditation, Post
from imports.kinds import IMPORTERS, POST_HAS_CESP
from imports.pipeline import Status, run_import
from imports.reading import FileRefused
from tests.conftest import page_text
from tests.factories.accreditation import bare_campaign
from tests.factories.referential import (
    AccreditationFactory,
    PostFactory,
    SemesterFactory,
    TrainingSiteFactory,
    phase,
    region,
    specialty,
    subdivision,
)
from tests.factories.residents import ALL_PHASES, accredited_site
from tests.imports.test_import_chain import xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["Semestre", "Terrain", "DES", "Phase", "Nombre de postes"]
LIST = "/cockpit/postes/"


@pytest.fixture
def world():
    semester = SemesterFactory(season="winter", year=2027)
    sites = {
        f"T{n}": accredited_site(legacy_id=f"T{n}", name=f"Cardiologie n°{n}")
        for n in range(1, 13)
    }
    # T1 is also accredited in general medicine (for a mixed post).
    AccreditationFactory(
        training_site=sites["T1"],
        specialty=specialty("DES-MGE"),
        start_date=date(2020, 11, 1),
        end_date=date(2030, 10, 31),
        phases=[phase(code) for code in ALL_PHASES],
    )
    return {"semester": semester, "label": str(semester), "sites": sites}


def with_maximum(site, maximum: int) -> Accreditation:
    """The maximum the decided dossier set (and the accreditation keeps, once the
    referential has the field)."""
    accreditation = site.accreditations.get(specialty__code="DES-MCA")
    if hasattr(accreditation, "max_residents"):
        Accreditation.objects.filter(pk=accreditation.pk).update(max_residents=maximum)
    AccreditationRequest.objects.create(
        campaign=bare_campaign(),
        training_site=site,
        specialty=accreditation.specialty,
        status="decided",
        max_residents=maximum,
        accreditation=accreditation,
    )
    return accreditation


def run(rows, *, headers=HEADERS, commit=True, by=None, region_code="84"):
    importer = IMPORTERS["postes"](region=region(region_code), by=by)
    return run_import(importer, xlsx([headers, *rows]), commit=commit)


def eleven_rows(world) -> list[list]:
    """Rows 2 to 12: one socle post on each of T1 … T11."""
    return [[world["label"], f"T{n}", "DES-MCA", "socle", 1] for n in range(1, 12)]


def test_a_good_file_opens_the_posts_the_ars_then_reads(client, ars, world):
    headers = [*HEADERS, "Couplé avec", "Mixte"]
    rows = [
        [world["label"], "T1", "DES-MCA", "socle", 2, "", ""],
        [world["label"], "T2", "DES-MCA", "approfondissement", 1, "T3", ""],
        [world["label"], "T3", "DES-MCA", "approfondissement", 1, "T2", ""],
        [world["label"], "T1", "", "Phase d'approfondissement", 1, "", ""],
        [world["label"], "T1", "DES-MCA", "consolidation", 1, "", "DES-MGE"],
    ]
    rows[3][2] = specialty("DES-MCA").label  # the DES by its label
    report = run(rows, headers=headers, by=ars)
    assert report.committed and report.counts[Status.CREATED] == 5, report.problems
    posts = {
        (p.training_site.legacy_id, p.phase.code): p
        for p in Post.objects.select_related("training_site", "phase")
    }
    assert posts[("T1", "socle")].seats == 2
    t2, t3 = posts[("T2", "approfondissement")], posts[("T3", "approfondissement")]
    assert (t2.coupled_with, t3.coupled_with) == (t3, t2)
    mixed = posts[("T1", "consolidation")]
    assert [s.code for s in mixed.shared_specialties.all()] == ["DES-MGE"]
    assert posts[("T1", "socle")].history.get().history_user == ars
    page = page_text(client.get(LIST))
    assert "Cardiologie n°1" in page and "Cardiologie n°3" in page


def test_an_existing_post_gets_its_seats_and_a_second_import_changes_nothing(
    ars, world
):
    existing = PostFactory(
        semester=world["semester"],
        training_site=world["sites"]["T1"],
        specialty=specialty("DES-MCA"),
        phase=phase("socle"),
        seats=1,
    )
    rows = [[world["label"], "T1", "DES-MCA", "socle", 3]]
    report = run(rows, by=ars)
    assert report.counts[Status.UPDATED] == 1, report.problems
    existing.refresh_from_db()
    assert existing.seats == 3 and Post.objects.count() == 1
    assert run(rows, by=ars).counts[Status.UNCHANGED] == 1


def test_the_dry_run_writes_nothing(ars, world):
    report = run(eleven_rows(world), by=ars, commit=False)
    assert report.counts[Status.CREATED] == 11 and not report.committed
    assert not Post.objects.exists()


def unknown_des(world, rows):
    rows[10][2] = "DES-INCONNU"


def above_maximum(world, rows):
    with_maximum(world["sites"]["T11"], 2)
    rows[10][4] = 3


def unaccredited(world, rows):
    TrainingSiteFactory(
        legacy_id="T99", name="Service sans agrément", subdivision=subdivision()
    )
    rows[10][1] = "T99"


@pytest.mark.parametrize(
    "spoil, column, reason",
    [
        (unknown_des, "DES", "DES « DES-INCONNU » inconnu"),
        (
            above_maximum,
            "Nombre de postes",
            "3 postes au-delà du maximum de 2 internes de l'agrément de "
            "Cardiologie n°11 en DES-MCA (01/11/2018 – 31/10/2035)",
        ),
        (
            unaccredited,
            "Terrain",
            "le terrain « T99 » (Service sans agrément) n'a pas d'agrément en cours "
            "pour DES-MCA en phase socle au début du semestre Hiver 2027-2028 "
            "(01/11/2027)",
        ),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_it(
    ars, world, spoil, column, reason
):
    rows = eleven_rows(world)
    spoil(world, rows)
    report = run(rows, by=ars)
    assert [(p.line, p.status, p.column, p.reason) for p in report.problems] == [
        (12, Status.REJECTED, column, reason)
    ]
    assert not report.committed
    assert not Post.objects.exists()


def test_seats_within_the_maximum_are_opened(ars, world):
    with_maximum(world["sites"]["T1"], 2)
    report = run([[world["label"], "T1", "DES-MCA", "socle", 2]], by=ars)
    assert report.committed, report.problems


def test_a_coupled_post_whose_other_half_is_not_opened_is_refused(ars, world):
    headers = [*HEADERS, "Couplé avec"]
    rows = [[world["label"], "T1", "DES-MCA", "socle", 1, "T2"]]
    report = run(rows, headers=headers, by=ars)
    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (
            2,
            "Couplé avec",
            "aucun poste en DES-MCA phase socle sur le terrain « T2 » en "
            "Hiver 2027-2028 : ouvrez-le dans le même fichier",
        )
    ]
    assert not Post.objects.exists()


def test_a_mixed_des_the_site_is_not_accredited_for_is_refused(ars, world):
    headers = [*HEADERS, "Mixte"]
    rows = [[world["label"], "T2", "DES-MCA", "socle", 1, "DES-MGE"]]
    report = run(rows, headers=headers, by=ars)
    assert report.problems[0].column == "Mixte"
    assert "DES-MGE" in report.problems[0].reason
    assert not Post.objects.exists()


def test_a_cesp_column_reserves_the_post_or_is_listed_as_ignored(ars, world):
    """Read when the post model keeps the CESP reservation; ignored (and said so)
    while it does not."""
    headers = [*HEADERS, "Réservé CESP"]
    report = run(
        [[world["label"], "T1", "DES-MCA", "socle", 1, "oui"]], headers=headers, by=ars
    )
    assert report.committed, report.problems
    if POST_HAS_CESP:
        assert report.unknown_columns == [] and Post.objects.get().cesp_reserved
    else:
        assert report.unknown_columns == ["Réservé CESP"]


def test_the_maximum_counts_the_seats_of_the_other_phases(ars, world):
    with_maximum(world["sites"]["T1"], 2)
    rows = [
        [world["label"], "T1", "DES-MCA", "socle", 1],
        [world["label"], "T1", "DES-MCA", "approfondissement", 2],
    ]
    report = run(rows, by=ars)
    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (
            3,
            "Nombre de postes",
            "2 postes en plus du poste déjà ouvert sur ce terrain en DES-MCA ce "
            "semestre : au-delà du maximum de 2 internes de l'agrément de "
            "Cardiologie n°1 en DES-MCA (01/11/2018 – 31/10/2035)",
        )
    ]
    assert not Post.objects.exists()


def test_the_registry_and_another_region_may_not_open_posts(
    faculty_registry, ars_elsewhere, world
):
    rows = [[world["label"], "T1", "DES-MCA", "socle", 1]]
    with pytest.raises(FileRefused, match="d'importer ce type de fichier"):
        run(rows, by=faculty_registry)
    report = run(rows, by=ars_elsewhere, region_code="53")
    assert report.problems[0].reason == "terrain « T1 » hors de votre périmètre"
    assert not Post.objects.exists()


def test_a_sites_accreditations_are_read_once_for_all_its_rows(ars, world):
    """A file lists a site's posts phase by phase: its accreditations in force, their
    dossiers' maxima and its open posts are read once, not once per row."""
    rows = [[world["label"], "T1", "DES-MCA", code, 1] for code in ALL_PHASES]
    rows.append([world["label"], "T2", "DES-MCA", "socle", 1])
    with CaptureQueriesContext(connection) as queries:
        report = run(rows, by=ars)
    assert report.counts[Status.CREATED] == 4, report.problems
    dossier_reads = [
        q for q in queries if 'FROM "accreditation_accreditationrequest"' in q["sql"]
    ]
    assert len(dossier_reads) == 2  # T1 and T2
