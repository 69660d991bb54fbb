"""Import of the semester activity (activité semestrielle) an ARS keeps in a
spreadsheet: declared lines the registry still validates, all or nothing, a validated
line never overwritten, a resident outside the subdivision only as an interCHU
entrant."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from domains.choices.models import ActivityLine, ActivitySource, ActivityStatus
from domains.people.models import LegacyIdentifier, LegacySystem
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.referential.models import Phase
from imports.kinds import IMPORTERS
from imports.models import ImportRun
from imports.pipeline import Status, run_import
from imports.reading import FileRefused
from tests.conftest import page_text
from tests.factories.people import make_user_with_role
from tests.factories.referential import SemesterFactory, current_semester, subdivision
from tests.factories.residents import make_resident
from tests.imports.test_import_chain import xlsx

pytestmark = pytest.mark.django_db
HEADERS = ["Interne", "Semestre", "Subdivision", "Situation", "DES", "Phase", "Motif"]
LIST = "/cockpit/activite-semestrielle/"


def coming():
    now = current_semester()
    if now.season == "winter":
        return SemesterFactory(season="summer", year=now.year + 1)
    return SemesterFactory(season="winter", year=now.year)


def imotep(resident, value: str):
    LegacyIdentifier.objects.create(
        person=resident.person, system=LegacySystem.IMOTEP, value=value
    )
    return resident


@pytest.fixture
def world():
    semester = coming()
    lyon = subdivision("LYON")
    residents = [
        imotep(make_resident(first_name=f"Interne{n}", last_name="Lyon"), f"L{n}")
        for n in range(1, 12)
    ]
    entrant = imotep(
        make_resident(
            subdivision_code="GRENOBLE", first_name="Chloé", last_name="Chevalier"
        ),
        "G1",
    )
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=lyon)
    return {
        "semester": semester,
        "label": str(semester),
        "lyon": lyon,
        "residents": residents,
        "entrant": entrant,
        "registry": registry,
    }


def run(world, rows, *, commit=True, by=None, **scope):
    scope.setdefault("subdivision", world["lyon"])
    importer = IMPORTERS["activite"](by=by or world["registry"], **scope)
    return run_import(importer, xlsx([HEADERS, *rows]), commit=commit)


def eleven_rows(world) -> list[list]:
    """Rows 2 to 12 of the sheet: the eleven Lyon residents, all choosing."""
    return [
        [f"L{n}", world["label"], "Lyon", "choisit", "DES-MCA", "socle", ""]
        for n in range(1, 12)
    ]


def test_a_good_file_writes_declared_lines_the_registry_then_reads(client, world):
    rows = [
        ["L1", world["label"], "LYON", "Choisit", "DES-MCA", "Socle", ""],
        ["L2", world["label"], "Lyon", "dispo", "", "", "Convenance personnelle"],
        ["L3", world["label"], "Lyon", "Surnombre validant", "DES-MCA", "socle", ""],
        ["L4", world["label"], "Lyon", "DJ", "", "", ""],
        ["G1", world["label"], "Lyon", "interCHU entrant", "DES-MCA", "socle", ""],
    ]
    report = run(world, rows)
    assert report.committed and report.counts[Status.CREATED] == 5, report.problems
    lines = {
        line.resident.person.first_name: line
        for line in ActivityLine.objects.select_related("resident__person")
    }
    assert {name: line.kind for name, line in lines.items()} == {
        "Interne1": "chooses",
        "Interne2": "leave",
        "Interne3": "supernumerary_v",
        "Interne4": "junior_doctor",
        "Chloé": "inter_chu_in",
    }
    chooser = lines["Interne1"]
    assert (chooser.source, chooser.status) == (
        ActivitySource.IMPORT,
        ActivityStatus.DECLARED,
    )
    assert (chooser.specialty.code, chooser.phase.code) == ("DES-MCA", "socle")
    assert lines["Interne2"].reason == "Convenance personnelle"
    assert chooser.history.get().history_user == world["registry"]
    client.force_login(world["registry"])
    page = page_text(client.get(LIST))
    assert "Chloé CHEVALIER" in page and "Interne4 LYON" in page
    assert "Docteur junior" in page


@pytest.mark.parametrize(
    "written, kind",
    [
        ("choisit", "chooses"),
        ("dispo", "leave"),
        ("Disponibilité", "leave"),
        ("surnombre validant", "supernumerary_v"),
        ("Surnombre non validant", "supernumerary_nv"),
        ("interCHU sortant", "inter_chu_out"),
        ("Inter-CHU sortante", "inter_chu_out"),
        ("Année recherche", "research"),
        ("hors choix", "out_of_choice"),
        ("DJ", "junior_doctor"),
        ("docteur junior", "junior_doctor"),
        ("Fin de cursus", "end"),
        ("remords", "remorse"),
        ("Remords (nouveau DES)", "remorse"),
    ],
)
def test_the_situations_as_arss_write_them(world, written, kind):
    report = run(
        world, [["L1", world["label"], "Lyon", written, "DES-MCA", "socle", ""]]
    )
    assert report.committed, report.problems
    assert ActivityLine.objects.get().kind == kind


def test_a_resident_found_by_name_and_birth_date_without_imotep_id(world):
    person = world["residents"][0].person
    person.birth_date = date(1998, 3, 14)
    person.save()
    headers = ["Nom", "Prénom", "Né le", "Période", "Subdivision", "Activité"]
    importer = IMPORTERS["activite"](by=world["registry"], subdivision=world["lyon"])
    content = xlsx(
        [headers, ["lyon", "INTERNE1", "14/03/1998", world["label"], "Lyon", "dispo"]]
    )
    report = run_import(importer, content, commit=True)
    assert report.committed, report.problems
    assert ActivityLine.objects.get().resident == world["residents"][0]


def test_the_dry_run_writes_nothing(world):
    report = run(world, eleven_rows(world), commit=False)
    assert report.counts[Status.CREATED] == 11 and not report.committed
    assert not ActivityLine.objects.exists()


def validate(line):
    line.status = ActivityStatus.VALIDATED
    line.validated_at = timezone.make_aware(timezone.datetime(2026, 9, 15, 10))
    line.save()


def outside(world, rows):
    """Row 12 names a Grenoble resident as choosing in Lyon."""
    rows[10] = ["G1", world["label"], "Lyon", "choisit", "DES-MCA", "socle", ""]


def unknown_des(world, rows):
    rows[10][4] = "DES-INCONNU"


def validated(world, rows):
    line = ActivityLine.objects.create(
        semester=world["semester"],
        subdivision=world["lyon"],
        resident=world["residents"][10],
        kind="leave",
        reason="Disponibilité accordée.",
        source=ActivitySource.PREFILL,
    )
    validate(line)


def missing_phase(world, rows):
    rows[10][5] = ""


@pytest.mark.parametrize(
    "spoil, column, reason",
    [
        (
            outside,
            "Subdivision",
            "interne de la subdivision Grenoble, hors de Lyon : seule une situation "
            "« interCHU entrant » l'y inscrit",
        ),
        (unknown_des, "DES", "DES « DES-INCONNU » inconnu"),
        (
            validated,
            "Situation",
            "ligne déjà validée par la scolarité le 15/09/2026 (« Disponibilité ») : "
            "elle n'est pas modifiée par un import ; demandez à la scolarité de la "
            "corriger",
        ),
        (
            missing_phase,
            "Phase",
            "obligatoire pour une situation « Choisit » (elle dit dans quelle liste "
            "d'appel elle choisit)",
        ),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_it(world, spoil, column, reason):
    rows = eleven_rows(world)
    spoil(world, rows)
    before = ActivityLine.objects.count()
    report = run(world, rows)
    assert [(p.line, p.status, p.column, p.reason) for p in report.problems] == [
        (12, Status.REJECTED, column, reason)
    ]
    assert not report.committed
    assert ActivityLine.objects.count() == before
    assert not ActivityLine.objects.filter(source=ActivitySource.IMPORT).exists()


def test_a_validated_line_the_file_repeats_is_unchanged(world):
    line = ActivityLine.objects.create(
        semester=world["semester"],
        subdivision=world["lyon"],
        resident=world["residents"][0],
        kind="chooses",
        reason="Choisit son stage en amphi.",
        source=ActivitySource.PREFILL,
        specialty=world["residents"][0].enrolments.get().specialty,
        phase=Phase.objects.get(code="socle"),
    )
    validate(line)
    report = run(world, eleven_rows(world))
    assert report.committed, report.problems
    assert report.results[0].status == Status.UNCHANGED
    line.refresh_from_db()
    assert (line.source, line.status) == (
        ActivitySource.PREFILL,
        ActivityStatus.VALIDATED,
    )


def test_a_line_not_yet_validated_is_updated_and_audited(world):
    line = ActivityLine.objects.create(
        semester=world["semester"],
        subdivision=world["lyon"],
        resident=world["residents"][0],
        kind="chooses",
        reason="Choisit son stage en amphi.",
        source=ActivitySource.PREFILL,
    )
    report = run(
        world, [["L1", world["label"], "Lyon", "disponibilité", "", "", "Thèse"]]
    )
    assert report.counts[Status.UPDATED] == 1, report.problems
    line.refresh_from_db()
    assert (line.kind, line.reason, line.source, line.status) == (
        "leave",
        "Thèse",
        ActivitySource.IMPORT,
        ActivityStatus.DECLARED,
    )
    assert line.history.first().history_user == world["registry"]


def test_another_subdivisions_registry_or_region_cannot_import_lyon(world, people):
    rows = [["L1", world["label"], "Lyon", "choisit", "DES-MCA", "socle", ""]]
    grenoble = make_user_with_role(
        Role.FACULTY_REGISTRY, subdivision=subdivision("GRENOBLE")
    )
    report = run(world, rows, by=grenoble, subdivision=subdivision("GRENOBLE"))
    assert report.problems[0].reason == "subdivision Lyon hors de votre périmètre"
    report = run(world, rows, by=people.ars_elsewhere, subdivision=None, region=None)
    assert not report.committed
    assert not ActivityLine.objects.exists()


def test_the_command_line_imports_for_a_region(world):
    rows = [["L1", world["label"], "Lyon", "choisit", "DES-MCA", "socle", ""]]
    report = run(
        world,
        rows,
        by=SYSTEM,
        subdivision=None,
        region=world["lyon"].region,
    )
    assert report.committed, report.problems
    assert ActivityLine.objects.get().history.get().history_user is None


# In the cockpit: the registry imports its subdivision's activity, nothing else ------

UPLOAD = "/cockpit/reprise/deposer/"


def upload(client, content: bytes, kind: str):
    return client.post(
        UPLOAD, {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", content)}
    )


def test_the_registry_imports_its_activity_in_the_cockpit(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["registry"])
    form = page_text(client.get(UPLOAD))
    assert '<option value="activite">Activité semestrielle</option>' in form
    assert 'value="postes"' not in form and 'value="etablissements"' not in form
    refused = upload(client, xlsx([HEADERS]), "postes")
    assert refused.status_code == 200 and not ImportRun.objects.exists()
    content = xlsx([HEADERS, *eleven_rows(world)])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content, "activite")
    run = ImportRun.objects.get()
    assert (run.subdivision, run.region, run.strict) == (
        world["lyon"],
        world["lyon"].region,
        True,
    )
    assert response.url == f"/cockpit/reprise/{run.pk}/"
    assert run.status == "checked" and not ActivityLine.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cockpit/reprise/{run.pk}/decision/confirmer/")
    run.refresh_from_db()
    assert run.status == "committed"
    assert ActivityLine.objects.filter(source=ActivitySource.IMPORT).count() == 11
    # Another subdivision's registry does not see the run.
    grenoble = make_user_with_role(
        Role.FACULTY_REGISTRY, subdivision=subdivision("GRENOBLE")
    )
    client.force_login(grenoble)
    assert client.get(f"/cockpit/reprise/{run.pk}/").status_code == 404


def test_a_refused_row_fails_the_commit_in_the_cockpit(
    client, ars, world, django_capture_on_commit_callbacks
):
    rows = eleven_rows(world)
    outside(world, rows)
    form = page_text(client.get(UPLOAD))
    assert 'value="activite"' in form and 'value="postes"' in form
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([HEADERS, *rows]), "activite")
    run = ImportRun.objects.get()
    assert run.region == world["lyon"].region and run.subdivision is None
    page = page_text(client.get(f"/cockpit/reprise/{run.pk}/"))
    assert "Ligne 12" in page and "seule une situation « interCHU entrant »" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cockpit/reprise/{run.pk}/decision/confirmer/")
    run.refresh_from_db()
    assert run.status == "failed" and "rien n'a été écrit" in run.error
    assert not ActivityLine.objects.exists()


def test_the_registry_may_import_no_other_kind(world):
    """Her import permission serves the semester activity only: not residents or
    stages, though their services accept her subdivision's import permission."""
    for kind in ("internes", "stages", "postes"):
        importer = IMPORTERS[kind](by=world["registry"], subdivision=world["lyon"])
        with pytest.raises(FileRefused, match="d'importer ce type de fichier"):
            run_import(importer, xlsx([["Interne"]]), commit=True)


def test_a_des_other_than_her_enrolment_is_written_with_a_note(world):
    rows = [["L1", world["label"], "Lyon", "choisit", "DES-MGE", "socle", ""]]
    report = run(world, rows)
    assert report.committed, report.problems
    assert report.results[0].reason == (
        "DES-MGE n'est pas le DES de son inscription en cours"
    )
    assert ActivityLine.objects.get().specialty.code == "DES-MGE"
