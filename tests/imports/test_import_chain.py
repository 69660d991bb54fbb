"""The whole recovery on small dirty files: establishments → sites → accreditations →
residents → stages, dry run then commit then re-import, and the file-level refusals."""

import csv
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from domains.people.models import LegacyIdentifier
from domains.people.permissions import SYSTEM
from domains.referential.models import Establishment, TrainingSite
from domains.residents.models import Placement, Resident
from imports.kinds import IMPORTERS
from imports.pipeline import Status, run_import
from imports.reading import FileRefused
from imports.report import report_xlsx
from tests.factories.referential import SemesterFactory, region, valid_finess
from tests.factories.residents import faculty

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(
    rows: list[list], *, delimiter=";", encoding="cp1252", bom=False
) -> bytes:
    output = io.StringIO()
    csv.writer(output, delimiter=delimiter).writerows(rows)
    data = output.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def run(kind, content, commit=True, region_code="84"):
    return run_import(
        IMPORTERS[kind](region=region(region_code), by=SYSTEM), content, commit=commit
    )


CLEAN_FINESS = valid_finess("69")

ESTABLISHMENTS = [
    [
        "Identifiant IMOTEP ",
        "RAISON SOCIALE",
        "Finess",
        "SIRET",
        "Code postal",
        "Ville",
        "Commentaire",
    ],
    ["E1", "Hôpital de la Croix-Rousse", CLEAN_FINESS, "", "69004", "Lyon", "x"],
    ["E2", "Clinique\u00a0des Lilas ", "123456789", "", "69100", "Villeurbanne", ""],
    ["E3", "", CLEAN_FINESS, "", "", "", ""],
]
SITES = [
    [
        "Identifiant IMOTEP",
        "Libellé",
        "Service",
        "Établissement",
        "Subdivision",
        "Type",
        "RTS nom",
        "RTS prénom",
        "RTS email",
    ],
    [
        "T1",
        "Cardiologie Croix-Rousse",
        "Cardiologie",
        "E1",
        "Lyon",
        "Hospitalier",
        "Moreau",
        "Sophie",
        "s.moreau@chu-lyon.fr",
    ],
    [
        "T2",
        "Cardiologie des Lilas",
        "Cardiologie",
        "E2",
        "LYON",
        "hospitalier",
        "",
        "",
        "",
    ],
    ["T3", "Cabinet de Rennes", "", "E1", "Rennes", "Ambulatoire", "", "", ""],
]
ACCREDITATIONS = [
    ["Terrain", "Spécialité", "Phases", "Type", "Début", "Fin", "Décision"],
    [
        "T1",
        "DES-MCA",
        "Socle, Approfondissement",
        "Principal",
        "01/11/2020",
        "2030-10-31",
        "Accordé 5 ans",
    ],
    ["T2", "Médecine cardiovasculaire", "socle", "principal", 44136, 47787, "accordé"],
]
RESIDENTS = [
    [
        "Identifiant IMOTEP",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Email",
        "Subdivision",
        "Faculté",
        "Promotion",
        "Rang",
        "DES",
        "Option",
        "FST",
        "Phase",
    ],
    [
        "I1",
        "Garnier",
        "Léa",
        "12/03/1998",
        "lea.garnier@etu.fr",
        "Lyon",
        "",
        "2022",
        "1200",
        "DES-MCA",
        "",
        "",
        "Socle",
    ],
    [
        "I2",
        "Roux",
        "Paul",
        36000,
        "paul.roux@etu.fr",
        "Lyon",
        "",
        "2022",
        "",
        "Médecine cardiovasculaire",
        "",
        "",
        "",
    ],
]
PLACEMENTS = [
    ["Interne", "Semestre", "Terrain", "Spécialité", "Phase", "Validé", "Motif"],
    ["I1", "Novembre 2022", "T1", "DES-MCA", "Socle", "Oui", ""],
    ["I1", "Mai 2023", "T2", "DES-MCA", "Socle", "O", ""],
    ["I2", "2022-2023 hiver", "T1", "DES-MCA", "Phase socle", "Non", "Absences"],
    ["I2", "Mai 2023", "T1", "DES-MCA", "Socle", "N", ""],
    ["I9", "Mai 2023", "T1", "DES-MCA", "Socle", "X", ""],
]


@pytest.fixture
def chain():
    for year in (2022, 2023):
        SemesterFactory(season="winter", year=year)
        SemesterFactory(season="summer", year=year)
    faculty("LYON")


def test_the_whole_chain_dry_run_commit_and_reimport(chain):
    dry = run("etablissements", csv_bytes(ESTABLISHMENTS), commit=False)
    assert not Establishment.objects.filter(legacy_id__in=["E1", "E2"]).exists()
    assert dry.counts[Status.CREATED] == 2 and dry.counts[Status.REJECTED] == 1

    report = run("etablissements", csv_bytes(ESTABLISHMENTS))
    assert len(report.results) == 3  # every data row accounted for
    assert report.unknown_columns == ["Commentaire"]
    rejected = report.problems[0]
    assert (rejected.line, rejected.column, rejected.reason) == (
        4,
        "Raison sociale",
        "valeur obligatoire manquante",
    )
    dirty = Establishment.objects.get(legacy_id="E2")
    assert dirty.name == "Clinique des Lilas" and dirty.data_quality == "to_fix"
    assert "FINESS 123456789 invalide" in report.results[1].reason

    sites = run("terrains", xlsx(SITES))
    assert [r.status for r in sites.results] == [
        Status.CREATED,
        Status.CREATED,
        Status.REJECTED,
    ]
    assert "hors de votre région" in sites.results[2].reason
    assert "« à corriger »" in sites.results[1].reason
    site = TrainingSite.objects.get(legacy_id="T1")
    assert site.functions.get().person.primary_email == "s.moreau@chu-lyon.fr"

    accreditations = run("agrements", xlsx(ACCREDITATIONS))
    assert accreditations.counts[Status.CREATED] == 2

    residents = run("internes", xlsx(RESIDENTS))
    assert residents.counts[Status.CREATED] == 2
    lea = Resident.objects.get(person__legacy_ids__value="I1")
    assert lea.person.birth_date.isoformat() == "1998-03-12"

    placements = run(
        "stages", csv_bytes(PLACEMENTS, delimiter=",", encoding="utf-8", bom=True)
    )
    statuses = [r.status for r in placements.results]
    assert statuses == [
        Status.CREATED,
        Status.ARCHIVED,  # the Lilas clinic is not clean
        Status.CREATED,
        Status.REJECTED,  # "N" without its reason
        Status.REJECTED,  # unknown resident
    ]
    assert "établissement « à corriger »" in placements.results[1].reason
    assert placements.results[3].column == "Motif"
    assert (
        Placement.objects.get(resident=lea, semester__season="summer").mode == "archive"
    )
    assert (
        Placement.objects.filter(validation="not_validated").get().validation_reasons
        == "Absences"
    )

    # Everything imported before is "unchanged" the second time.
    for kind, content in (
        ("etablissements", csv_bytes(ESTABLISHMENTS)),
        ("terrains", xlsx(SITES)),
        ("agrements", xlsx(ACCREDITATIONS)),
        ("internes", xlsx(RESIDENTS)),
        ("stages", csv_bytes(PLACEMENTS)),
    ):
        again = run(kind, content)
        assert again.counts[Status.CREATED] == again.counts[Status.UPDATED] == 0, kind
        assert again.counts[Status.ARCHIVED] == 0, kind
    assert LegacyIdentifier.objects.filter(value="I1").count() == 1


def test_an_unaccredited_site_makes_an_archived_stage(chain):
    run("etablissements", csv_bytes(ESTABLISHMENTS))
    run("terrains", xlsx(SITES))
    run("internes", xlsx(RESIDENTS))
    report = run("stages", csv_bytes(PLACEMENTS[:2]))
    assert report.results[0].status == Status.ARCHIVED
    assert "non agréé pour Médecine cardiovasculaire" in report.results[0].reason


def test_strict_writes_nothing_when_a_row_is_rejected(chain):
    report = run_import(
        IMPORTERS["etablissements"](region=region("84"), by=SYSTEM),
        csv_bytes(ESTABLISHMENTS),
        commit=True,
        strict=True,
    )
    assert not report.committed
    assert not Establishment.objects.filter(legacy_id="E1").exists()


def test_the_report_workbook_has_one_line_per_row(chain):
    report = run(
        "etablissements",
        csv_bytes(ESTABLISHMENTS + [["=cmd", "=HYPERLINK()", "", "", "", "", ""]]),
    )
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Rapport"]
    lines = list(sheet.iter_rows(values_only=True))[1:]
    assert len(lines) == 4
    assert lines[-1][2] == "'=cmd"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            csv_bytes([["Identifiant IMOTEP", "Ville"], ["E1", "Lyon"]]),
            "« Raison sociale »",
        ),
        (b"%PDF-1.7 fake", "ni un classeur XLSX ni un fichier CSV"),
        (xlsx([]), "première feuille est vide"),
        (b"PK\x03\x04garbage", "corrompu"),
        (b"", "vide"),
    ],
)
def test_file_level_refusals(content, message):
    with pytest.raises(FileRefused, match=message):
        run("etablissements", content)


def test_a_decompression_bomb_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    with pytest.raises(FileRefused, match="bombes de décompression"):
        run("etablissements", output.getvalue())


def test_a_changed_accreditation_is_updated_through_its_service(chain):
    run("etablissements", csv_bytes(ESTABLISHMENTS))
    run("terrains", xlsx(SITES))
    run("agrements", xlsx(ACCREDITATIONS))
    changed = [ACCREDITATIONS[0], [*ACCREDITATIONS[1][:5], "31/10/2031", "Accordé"]]
    report = run("agrements", xlsx(changed))
    assert report.results[0].status == Status.UPDATED
    site = TrainingSite.objects.get(legacy_id="T1")
    accreditation = site.accreditations.get()
    assert accreditation.end_date.year == 2031
    assert accreditation.history.first().history_type == "~"


def test_a_child_s_birth_date_is_rejected_on_its_row(chain):
    child = [*RESIDENTS[1]]
    child[0], child[3], child[4] = "I7", "12/03/2020", "enfant@etu.fr"
    report = run("internes", xlsx([RESIDENTS[0], child]))
    rejected = report.problems[0]
    assert (rejected.line, rejected.column) == (2, "Date de naissance")
    assert "la personne doit être majeure" in rejected.reason
    assert not Resident.objects.filter(person__legacy_ids__value="I7").exists()
