"""Semester activity: the faculty registry prefills its subdivision's lines from what
SIIMOP knows, corrects and validates them; each person reads only her perimeter's
lines; a resident confirms or corrects her own until it is validated."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from domains.choices.models import (
    ActivityLine,
    ActivityStatus,
    HostingStatus,
    InterChuHosting,
)
from domains.choices.services import activity_declare, activity_prefill
from domains.people.roles import Role
from domains.residents.models import SituationKind, SituationStatus, SpecialSituation
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import SemesterFactory, current_semester, subdivision
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db
LIST = "/cockpit/activite-semestrielle/"


def coming():
    now = current_semester()
    if now.season == "winter":
        return SemesterFactory(season="summer", year=now.year + 1)
    return SemesterFactory(season="winter", year=now.year)


@pytest.fixture
def world():
    semester = coming()
    lyon, grenoble = subdivision("LYON"), subdivision("GRENOBLE")
    chooser = make_resident(first_name="Alice", last_name="Aubert")
    on_leave = make_resident(first_name="Bruno", last_name="Berger")
    SpecialSituation.objects.create(
        resident=on_leave,
        kind=SituationKind.LEAVE,
        leave_reason="personal",
        start_date=semester.start_date,
        end_date=semester.end_date,
        status=SituationStatus.APPROVED,
    )
    entrant = make_resident(
        subdivision_code="GRENOBLE", first_name="Chloé", last_name="Chevalier"
    )
    # Granted by Grenoble and accepted by Lyon (tests/choices/test_interchu_hosting.py).
    InterChuHosting.objects.create(
        situation=SpecialSituation.objects.create(
            resident=entrant,
            kind=SituationKind.INTER_CHU,
            start_date=semester.start_date,
            end_date=semester.end_date,
            target_subdivision=lyon,
            status=SituationStatus.APPROVED,
        ),
        host_subdivision=lyon,
        status=HostingStatus.ACCEPTED,
    )
    elsewhere = make_resident(
        subdivision_code="GRENOBLE", first_name="Denis", last_name="Durand"
    )
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=lyon)
    other_registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=grenoble)
    return {
        "semester": semester,
        "lyon": lyon,
        "grenoble": grenoble,
        "chooser": chooser,
        "on_leave": on_leave,
        "entrant": entrant,
        "elsewhere": elsewhere,
        "registry": registry,
        "other_registry": other_registry,
    }


def kinds(subdivision_, semester):
    return {
        line.resident.person.first_name: line.kind
        for line in ActivityLine.objects.filter(
            subdivision=subdivision_, semester=semester
        ).select_related("resident__person")
    }


def test_prefill_proposes_each_line_from_what_siimop_knows(world):
    written = activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    assert written == 3
    assert kinds(world["lyon"], world["semester"]) == {
        "Alice": "chooses",
        "Bruno": "leave",
        "Chloé": "inter_chu_in",  # the Grenoble resident coming for the semester
    }
    leave = ActivityLine.objects.get(resident=world["on_leave"])
    assert leave.reason.startswith("Disponibilité accordée du ")
    assert leave.status == ActivityStatus.TO_CONFIRM


def test_prefill_keeps_what_a_person_declared(world):
    activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    line = ActivityLine.objects.get(resident=world["chooser"])
    activity_declare(
        by=world["chooser"].person.user,
        line=line,
        kind="research",
        reason="Année recherche accordée par l'université.",
    )
    activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    line.refresh_from_db()
    assert (line.kind, line.source, line.status) == ("research", "resident", "declared")


def test_another_subdivision_registry_may_not_prefill_lyon(world):
    with pytest.raises(PermissionDenied, match="scolarité de la subdivision"):
        activity_prefill(
            by=world["other_registry"],
            subdivision=world["lyon"],
            semester=world["semester"],
        )
    assert not ActivityLine.objects.exists()


def test_the_list_detail_edit_and_export_stay_in_the_perimeter(client, world):
    activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    activity_prefill(
        by=world["other_registry"],
        subdivision=world["grenoble"],
        semester=world["semester"],
    )
    mine = ActivityLine.objects.get(
        subdivision=world["lyon"], resident=world["chooser"]
    )
    theirs = ActivityLine.objects.get(resident=world["elsewhere"])
    login_verified(client, world["registry"])
    page = client.get(LIST).content.decode()
    assert "Alice AUBERT" in page and "DURAND" not in page
    assert client.get(f"{LIST}{mine.pk}/").status_code == 200
    assert client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert client.get(f"{LIST}{theirs.pk}/modifier/").status_code == 404
    export = b"".join(client.get(f"{LIST}export/csv/").streaming_content).decode()
    assert "Aubert" in export and "Durand" not in export
    # Correcting a line needs its reason, in French, on the field.
    response = client.post(
        f"{LIST}{mine.pk}/modifier/", {"kind": "leave", "reason": ""}
    )
    assert "Indiquez le motif" in response.content.decode()
    client.post(
        f"{LIST}{mine.pk}/modifier/",
        {"kind": "out_of_choice", "reason": "Placée par l'ARS après entretien."},
    )
    mine.refresh_from_db()
    assert (mine.kind, mine.source) == ("out_of_choice", "registry")


def test_bulk_validation_and_the_summary_counts(client, world):
    activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    login_verified(client, world["registry"])
    summary = client.get("/cockpit/activite-semestrielle/synthese/").content.decode()
    assert "3 internes dans votre périmètre" in summary
    assert "3 lignes à valider" in summary
    lines = list(ActivityLine.objects.filter(subdivision=world["lyon"]))
    client.post(
        f"{LIST}actions/",
        {
            "action": "validate",
            "selection": [line.pk for line in lines],
            "confirmed": "1",
        },
    )
    statuses = set(
        ActivityLine.objects.filter(subdivision=world["lyon"]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"validated"}
    summary = client.get("/cockpit/activite-semestrielle/synthese/").content.decode()
    assert "0 ligne à valider" in summary


def test_a_resident_reads_and_declares_her_own_line_only(client, world):
    activity_prefill(
        by=world["registry"], subdivision=world["lyon"], semester=world["semester"]
    )
    resident = world["chooser"].person.user
    login_verified(client, resident)
    page = client.get("/cockpit/mon-semestre-prochain/").content.decode()
    assert "Choisit" in page
    client.post(
        "/cockpit/mon-semestre-prochain/",
        {"kind": "supernumerary_v", "reason": "Surnombre validant accordé."},
    )
    line = ActivityLine.objects.get(resident=world["chooser"])
    assert (line.kind, line.source) == ("supernumerary_v", "resident")
    other = ActivityLine.objects.get(resident=world["on_leave"])
    assert client.get(f"{LIST}{other.pk}/").status_code in (403, 404)
    assert client.get(LIST).status_code == 403  # the registry's list is not hers
    with pytest.raises(PermissionDenied):
        activity_declare(by=resident, line=other, kind="chooses", reason="Moi.")
    line.status, line.validated_at = "validated", line.updated_at
    line.save()
    with pytest.raises(ValidationError, match="déjà validée"):
        activity_declare(by=resident, line=line, kind="chooses", reason="Finalement.")
