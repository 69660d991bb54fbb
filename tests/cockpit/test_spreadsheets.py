"""The one spreadsheet writer: no download of the platform hands a formula to Excel.

People, establishments, sites, campaigns, tickets… are given names a spreadsheet would
run (`=HYPERLINK(…)`, `+1+1`, `-2`, `@SUM(A1)`, tab or carriage return first); every
download is then fetched by someone allowed to see the data: no cell is a formula, and
the hostile names are there, neutralised with a leading `'`. A guard checks that no
module writes a spreadsheet by itself and that every caller of the writer is walked.
"""

import ast
import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from helpdesk.models import Queue
from openpyxl import load_workbook

from assistance.models import Period
from assistance.services import request_file, teams_setup
from domains.accreditation.models import (
    AccreditationCampaign,
    AccreditationRequest,
    CampaignMailing,
    MailingDelivery,
)
from domains.choices.models import (
    ActivityLine,
    CallList,
    CallListEntry,
    ChoiceGroup,
    ChoiceGroupMember,
    ChoiceSession,
    InterChuHosting,
    OpeningRule,
    PostOpening,
)
from domains.cockpit.export import csv_response, xlsx_bytes, xlsx_sheets_response
from domains.cockpit.registry import registry
from domains.identity.models import AccountRequest, ReconciliationCase
from domains.matching import services as matching_services
from domains.matching.models import MatchingCampaign, MatchingRun, RunStatus
from domains.matching.selectors import round_instance
from domains.people.models import Person
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from domains.referential.models import Establishment, Phase, Subdivision, TrainingSite
from domains.residents.models import (
    LastAdmittedRank,
    ReplacementThreshold,
    SpecialSituation,
)
from imports.models import ImportRun, PersonProposal
from imports.pipeline import Report, RowResult
from imports.report import report_xlsx
from imports.services import import_check, import_upload
from tests.conftest import login_verified
from tests.factories.accreditation import bare_campaign
from tests.factories.courses import make_course
from tests.factories.matching import matching_world
from tests.factories.people import make_person
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    TrainingSiteFactory,
    current_semester,
    region,
    specialty,
    subdivision,
)
from tests.factories.residents import accredited_site, add_placement, make_resident

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Written out here rather than imported: the test must not trust the writer's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]
ROOT = Path(__file__).resolve().parents[2]


# --- the writer itself ---------------------------------------------------------------


def _xlsx(response) -> dict:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in book}


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))


@pytest.mark.parametrize("value", HOSTILE)
def test_the_writer_neutralises_each_formula_start_in_cells_headers_and_titles(value):
    [(title, [(header, _name), (row, _ok)])] = _xlsx(
        xlsx_sheets_response("x", [(value, [value, "Nom"], [[value, "ok"]])])
    ).items()
    # XML reads a carriage return back as a line feed.
    expected = "'" + value.replace("\r", "\n")
    assert header.value == expected and header.data_type == "s"
    assert row.value == expected and row.data_type == "s"
    assert title.startswith("_" + value.strip()[0])  # Excel refuses a leading '
    header, line = _csv(csv_response("x", [value, "Nom"], [[value, "ok"]]))
    assert header == ["'" + value, "Nom"] and line == ["'" + value, "ok"]


def test_the_writer_keeps_numbers_as_numbers_and_plain_text_as_it_is():
    data = [[-2, 1.5, Decimal("-3.25"), 0, "Lyon", True, None, ["=a", "b"]]]
    [rows] = _xlsx(xlsx_sheets_response("x", [("Feuille", ["A"], data)])).values()
    cells = rows[1]
    assert [c.value for c in cells[:4]] == [-2, 1.5, -3.25, 0]
    assert {c.data_type for c in cells[:4]} == {"n"}
    assert [c.value for c in cells[4:]] == ["Lyon", "Oui", None, "'=a, b"]
    assert _csv(csv_response("x", ["A"], data))[1] == [
        "-2",
        "1.5",
        "-3.25",
        "0",
        "Lyon",
        "Oui",
        "",
        "'=a, b",
    ]


def test_dates_are_dates_in_xlsx_and_french_strings_in_csv():
    sent = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # 10:30 in Paris
    data = [[date(2026, 3, 1), sent]]
    [rows] = _xlsx(xlsx_sheets_response("x", [("Dates", ["Le", "À"], data)])).values()
    day, moment = rows[1]
    assert day.is_date and day.number_format == "dd/mm/yyyy"
    assert day.value == datetime(2026, 3, 1)
    assert moment.is_date and moment.number_format == "dd/mm/yyyy hh:mm"
    assert moment.value == datetime(2026, 3, 10, 10, 30)  # local, naive
    assert _csv(csv_response("x", ["Le", "À"], data))[1] == [
        "01/03/2026",
        "10/03/2026 10:30",
    ]


def test_characters_a_workbook_cannot_hold_are_dropped_rather_than_failing():
    data = [["x\x00y\x1b"]]
    book = load_workbook(io.BytesIO(xlsx_bytes([("a/b:c\x07", ["A"], data)])))
    assert book.sheetnames == ["a b c"]
    assert book["a b c"]["A2"].value == "xy"


def test_the_import_report_goes_through_the_writer():
    report = Report(
        kind="etablissements",
        results=[RowResult(2, "rejetée", "=cmd", "+col", "@motif")],
        unknown_columns=["-autre", "=x"],
    )
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert [c.value for c in book["Rapport"][2]] == [
        2,
        "rejetée",
        "'=cmd",
        "'+col",
        "'@motif",
    ]
    summary = {row[0].value: row[1].value for row in book["Synthèse"].iter_rows()}
    assert summary["Fichier"] == "etablissements"
    assert summary["Colonnes ignorées"] == "'-autre, =x"
    assert summary["rejetée"] == 1


# --- every download of the platform --------------------------------------------------


def _hostile_world(people) -> dict:
    """What every download shows, for the people allowed to download it."""
    lyon = EstablishmentFactory(name="Hôpital", region=region("84"))
    site = TrainingSiteFactory(
        name="Réanimation", establishment=lyon, subdivision=subdivision("LYON")
    )
    accreditation = AccreditationFactory(training_site=site)
    PostFactory(
        training_site=site,
        specialty=accreditation.specialty,
        semester=current_semester(),
    )
    supervisor = make_person()
    function_grant(
        person=supervisor,
        role=Role.SITE_SUPERVISOR,
        start_date=date(2024, 1, 1),
        training_site=site,
        by=SYSTEM,
    )
    ars = people.ars
    uness = people.uness_admin
    registry_user = people.faculty_registry
    support = people.support_l1

    resident = make_resident()
    add_placement(resident, "winter", 2023, site=accredited_site())
    SpecialSituation.objects.create(
        resident=resident,
        kind="supernumerary_v",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 10, 31),
    )
    ActivityLine.objects.create(
        semester=current_semester(),
        subdivision=subdivision("LYON"),
        resident=resident,
        kind="chooses",
        reason=HOSTILE[4],
        source="prefill",
    )
    call_list = CallList.objects.create(
        semester=current_semester(),
        subdivision=subdivision("LYON"),
        specialty=accreditation.specialty,
        phase=Phase.objects.get(code="socle"),
    )
    CallListEntry.objects.create(
        call_list=call_list, resident=resident, position=1, seniority=0, why=HOSTILE[5]
    )
    opening = PostOpening.objects.create(
        semester=current_semester(), subdivision=subdivision("LYON")
    )
    InterChuHosting.objects.create(
        situation=SpecialSituation.objects.create(
            resident=resident,
            kind="inter_chu",
            start_date=date(2027, 5, 1),
            end_date=date(2027, 10, 31),
            target_subdivision=subdivision("GRENOBLE"),
            status="approved",
        ),
        host_subdivision=subdivision("GRENOBLE"),
        reason=HOSTILE[1],
    )
    group = ChoiceGroup.objects.create(
        subdivision=subdivision("LYON"), label=HOSTILE[0]
    )
    ChoiceGroupMember.objects.create(
        group=group, subdivision=subdivision("LYON"), specialty=specialty()
    )
    # The amphi of the group's list: its export names the list by the group.
    ChoiceSession.objects.create(
        call_list=CallList.objects.create(
            semester=current_semester(),
            subdivision=subdivision("LYON"),
            group=group,
            phase=Phase.objects.get(code="socle"),
        ),
        wishes_until=datetime(2099, 1, 1, tzinfo=UTC),
        opened_by=ars,
    )
    OpeningRule.objects.create(
        region=region("84"), ratio=Decimal("1.07"), comment=HOSTILE[3]
    )
    AccountRequest.objects.create(
        civility="MME",
        first_name=HOSTILE[1],
        last_name=HOSTILE[0],
        email="demande@chu-lyon.fr",
        role=Role.SITE_SUPERVISOR,
        region=region("84"),
        training_site=site,
    )
    ReconciliationCase.objects.create(
        issuer="https://idp.univ-lyon1.fr/idp/shibboleth", subject=HOSTILE[3]
    )
    proposal = PersonProposal.objects.create(
        line=2,
        last_name=HOSTILE[0],
        first_name=HOSTILE[2],
        region=region("84"),
        reason=HOSTILE[3],
    )
    proposal.candidates.add(supervisor)

    # A published matching round: the resident is placed on the site.
    matching = matching_world(residents=1, sites=1)
    candidacy = matching.round.candidacies.get()
    run = MatchingRun.objects.create(
        round=matching.round,
        seed=0,
        instance=round_instance(matching.round, 0),
        input_hash="0" * 64,
        status=RunStatus.DONE,
        output={
            "assignments": {f"C{candidacy.pk}": f"O{matching.offers[0].pk}"},
            "unassigned": [],
        },
    )
    matching.move_calendar("after")
    matching_services.round_publish(
        by=matching.ars, matching_round=matching.round, run=run
    )

    campaign = bare_campaign()
    AccreditationRequest.objects.create(
        campaign=campaign,
        training_site=site,
        specialty=accreditation.specialty,
        status="submitted",
        supervisor=supervisor,
    )
    mailing = CampaignMailing.objects.create(
        campaign=campaign, subject="Dépôts ouverts", body="Bonjour."
    )
    MailingDelivery.objects.create(
        mailing=mailing,
        person=supervisor,
        email=supervisor.user.email,
        roles=HOSTILE[2],
        sent_at=timezone.now(),
        error=HOSTILE[0],
    )

    # A dry run of a legacy file whose cells and column names are hostile.
    content = (
        "Identifiant IMOTEP;Raison sociale;=colonne\r\n"
        f'=cmd;"{HOSTILE[0].replace(chr(34), chr(34) * 2)}";x\r\n'
    ).encode("cp1252")
    import_run = import_upload(
        kind="etablissements",
        upload=SimpleUploadedFile("-reprise.csv", content, "text/csv"),
        region=region("84"),
        by=ars,
    )
    import_check(run=import_run)

    teams_setup()
    request_file(
        title=HOSTILE[0],
        description="Rien ne s'affiche.",
        category="parcours",
        email="demandeur@etu.exemple.fr",
        subdivision=subdivision("LYON"),
    )
    Queue.objects.filter(slug="n1-lyon").update(title=HOSTILE[3])
    Period.objects.create(
        name=HOSTILE[1], start=date(2026, 3, 1), end=date(2026, 4, 30)
    )
    make_course(title=HOSTILE[0])

    # Hostile names everywhere, as an import or a SAML assertion could bring them.
    for n, pk in enumerate(Person.objects.order_by("pk").values_list("pk", flat=True)):
        Person.objects.filter(pk=pk).update(
            first_name=HOSTILE[n % 6], last_name=HOSTILE[(n + 1) % 6]
        )
    for n, pk in enumerate(Establishment.objects.values_list("pk", flat=True)):
        Establishment.objects.filter(pk=pk).update(name=f"@SUM(A{n})")
    for n, pk in enumerate(TrainingSite.objects.values_list("pk", flat=True)):
        TrainingSite.objects.filter(pk=pk).update(name=f'=HYPERLINK("http://x","{n}")')
    LastAdmittedRank.objects.create(
        specialty=accreditation.specialty,
        subdivision=subdivision("LYON"),
        cohort=2023,
        ranking_kind="ecn",
        last_rank=1200,
    )
    ReplacementThreshold.objects.filter(specialty__code="DES-MGE").update(
        label=HOSTILE[2]
    )
    Subdivision.objects.filter(code="LYON").update(name="+Lyon")
    MatchingCampaign.objects.update(name=HOSTILE[2])
    AccreditationCampaign.objects.update(name=HOSTILE[3])
    ImportRun.objects.update(filename=HOSTILE[0])

    return {
        "users": {
            "ars": ars,
            "uness": uness,
            "registry": registry_user,
            "support": support,
            "matching": matching.ars,
        },
        "matching": matching,
        "campaign": campaign,
        "import_run": import_run,
        "call_list": call_list,
        "opening": opening,
    }


# Who downloads each screen's list (the rest: the ARS of Auvergne-Rhône-Alpes).
SCREEN_USERS = {
    "rapprochements": "uness",
    "periodes-assistance": "uness",
    "seuils-remplacement": "uness",  # the Ordre's thresholds: national, UNESS's
    "internes": "registry",
    "stages": "registry",
    "situations": "registry",
    "activite-semestrielle": "registry",
    "campagnes-appariement": "matching",
    "demandes-assistance": "support",
}


@dataclass(frozen=True)
class Download:
    label: str
    user: str
    url: object  # (world) -> url
    via: str  # the function that calls the writer
    dates: tuple[str, str, str] | None = None  # sheet, header, number format


DOWNLOADS = [
    Download(
        "résultats d'un tour d'appariement",
        "matching",
        lambda w: reverse(
            "cockpit:matching_results",
            args=[w["matching"].campaign.pk, w["matching"].round.number],
        ),
        "domains.matching.views.round_results",
    ),
    Download(
        "journal d'envoi d'une campagne d'agréments",
        "ars",
        lambda w: reverse("cockpit:accreditation_mailing_log", args=[w["campaign"].pk]),
        "domains.accreditation.views.mailing_log",
        dates=("Remises", "Envoyé le", "dd/mm/yyyy hh:mm"),
    ),
    Download(
        "feuille du jury de changement de phase",
        "registry",
        lambda w: reverse("cockpit:internes_jury"),
        "domains.residents.views.jury_sheet",
        dates=("Jury", "Début de phase", "dd/mm/yyyy"),
    ),
    Download(
        "statistiques des internes",
        "ars",
        lambda w: reverse("cockpit:resident_statistics") + "?export=xlsx",
        "domains.residents.views.statistics",
    ),
    Download(
        "statistiques d'assistance",
        "uness",
        lambda w: reverse("cockpit:assistance_statistics") + "?format=xlsx",
        "assistance.views._statistics_xlsx",
    ),
    Download(
        "statistiques des formations",
        "uness",
        lambda w: reverse("cockpit:training_statistics") + "?format=xlsx",
        "courses.views.statistics_page",
    ),
    Download(
        "liste d'appel",
        "ars",
        lambda w: reverse("cockpit:call_list_xlsx", args=[w["call_list"].pk]),
        "domains.choices.views._call_list_document",
    ),
    Download(
        "postes d'une ouverture",
        "ars",
        lambda w: reverse("cockpit:opening_xlsx", args=[w["opening"].pk]),
        "domains.choices.views._opening_document",
    ),
    Download(
        "rapport d'un essai de reprise",
        "ars",
        lambda w: reverse(
            "cockpit:reprise_download", args=[w["import_run"].pk, "rapport"]
        ),
        "imports.report.report_xlsx",
    ),
    *(
        Download(
            f"liste « {screen.label} » en {fmt.upper()}",
            SCREEN_USERS.get(screen.slug, "ars"),
            lambda w, screen=screen, fmt=fmt: reverse(
                f"cockpit:{screen.url_name}_export", kwargs={"fmt": fmt}
            ),
            "domains.cockpit.views.screen_export",
        )
        for screen in registry.screens.values()
        for fmt in ("xlsx", "csv")
    ),
]


def _cells(response) -> dict[str, list[list[tuple[object, str]]]]:
    """Sheet title → rows of (value, openpyxl data type); CSV cells are text."""
    content_type = response.get("Content-Type", "")
    response.body = b"".join(response.streaming_content)
    if content_type.startswith(XLSX):
        book = load_workbook(io.BytesIO(response.body))
        return {
            sheet.title: [[(c.value, c.data_type) for c in row] for row in sheet]
            for sheet in book
        }
    assert content_type.startswith("text/csv"), content_type
    content = response.body.decode("utf-8-sig")
    rows = csv.reader(io.StringIO(content, newline=""), delimiter=";")
    return {"csv": [[(v, "s") for v in row] for row in rows]}


def _is_formula(value, data_type: str) -> bool:
    return data_type == "f" or (
        isinstance(value, str) and value.startswith(FORMULA_START)
    )


def _is_neutralised(value) -> bool:
    return isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START


@pytest.mark.django_db
def test_no_download_hands_a_formula_to_the_spreadsheet(client, people):
    world = _hostile_world(people)
    problems = []
    for download in DOWNLOADS:
        login_verified(client, world["users"][download.user])
        response = client.get(download.url(world))
        if response.status_code != 200:
            problems.append(f"{download.label}: HTTP {response.status_code}")
            continue
        sheets = _cells(response)
        cells = [cell for rows in sheets.values() for row in rows for cell in row]
        formulas = [value for value, kind in cells if _is_formula(value, kind)]
        titles = [title for title in sheets if title.startswith(FORMULA_START)]
        if formulas or titles:
            problems.append(f"{download.label}: formulas {formulas + titles}")
        if not any(_is_neutralised(value) for value, _kind in cells):
            problems.append(f"{download.label}: no hostile name, the check is void")
        if download.dates:
            sheet, header, number_format = download.dates
            rows = list(load_workbook(io.BytesIO(response.body))[sheet].iter_rows())
            cell = rows[1][[c.value for c in rows[0]].index(header)]
            if not (cell.is_date and cell.number_format == number_format):
                problems.append(f"{download.label}: {header} is not a date cell")
        client.logout()
    assert not problems, "\n".join(problems)


def _writer_callers() -> set[str]:
    """Every function of the project that calls the writer."""
    writers = {"xlsx_response", "xlsx_sheets_response", "csv_response", "xlsx_bytes"}
    found = set()
    for path in _project_files():
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if module == "domains.cockpit.export":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                isinstance(call, ast.Call)
                and getattr(call.func, "id", getattr(call.func, "attr", None))
                in writers
                for call in ast.walk(node)
            ):
                found.add(f"{module}.{node.name}")
    return found


def _project_files():
    for top in ("domains", "imports", "assistance", "courses", "siimop_site", "config"):
        yield from (ROOT / top).rglob("*.py")


def test_every_download_goes_through_the_writer_and_is_walked():
    own_writers = re.compile(
        r"\bWorkbook\(|csv\.(writer|DictWriter)\(|text/csv|spreadsheetml"
    )
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in _project_files()
        if path != ROOT / "domains/cockpit/export.py"
        and "/migrations/" not in str(path)
        and own_writers.search(path.read_text())
    ]
    assert elsewhere == [], "a spreadsheet written outside domains/cockpit/export.py"
    assert _writer_callers() == {d.via for d in DOWNLOADS}
    assert {s.slug for s in registry.screens.values()} >= set(SCREEN_USERS)
