"""Residents' screens: who sees which path, Mon parcours, documents, statistics."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from domains.people.roles import Role
from domains.residents.models import IssuedDocument, SpecialSituation
from domains.residents.services import placements_validate
from tests.conftest import login_verified, page_text
from tests.factories.people import make_user_with_role
from tests.factories.referential import specialty, subdivision
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db
LIST = "/cockpit/internes/"


@pytest.fixture
def lea():
    resident = make_resident(first_name="Léa", last_name="Garnier")
    add_placement(resident, "winter", 2023)
    add_placement(resident, "summer", 2024, validation=None)
    return resident


def sees(client, user, resident) -> bool:
    client.force_login(user)
    listed = "GARNIER" in page_text(client.get(LIST))
    detail = client.get(f"{LIST}{resident.pk}/").status_code
    exported = b"Garnier" in b"".join(
        client.get(f"{LIST}export/csv/").streaming_content
    )
    assert listed == exported == (detail == 200)
    return listed


def test_perimeters_of_the_residents_list(client, lea, people):
    coordinator = people.coordinator
    other_coordinator = make_user_with_role(
        Role.COORDINATOR,
        subdivision=subdivision("LYON"),
        specialty=specialty("DES-DVE"),
    )
    assert sees(client, coordinator, lea)
    assert not sees(client, other_coordinator, lea)
    assert sees(client, people.ars, lea)
    assert not sees(client, people.ars_elsewhere, lea)
    assert sees(client, lea.person.user, lea)
    assert not sees(client, make_resident().person.user, lea)


def test_the_resident_page_shows_the_path(client, lea, people):
    client.force_login(people.faculty_registry)
    page = page_text(client.get(f"{LIST}{lea.pk}/"))
    assert "Médecine cardiovasculaire" in page and "Phase socle" in page
    assert "Validé" in page and "En attente" in page


def test_the_registry_validates_a_stage_and_the_resident_sees_it(client, lea, people):
    placement = lea.placements.get(validation="pending")
    client.force_login(people.faculty_registry)
    response = client.post(
        f"/cockpit/stages/{placement.pk}/modifier/",
        {"validation": "not_validated", "validation_reasons": "", "absence_days": 0},
    )
    assert "Indiquez les motifs de la non-validation" in page_text(response)
    client.post(
        f"/cockpit/stages/{placement.pk}/modifier/",
        {"validation": "validated", "validation_reasons": "", "absence_days": 10},
    )
    placement.refresh_from_db()
    assert placement.validation == "validated"
    client.force_login(lea.person.user)
    assert "En attente" not in page_text(client.get("/cockpit/mon-parcours/"))


def test_a_resident_requests_a_leave_online_and_a_bad_one_is_explained(client, lea):
    client.force_login(lea.person.user)
    response = client.post(
        "/cockpit/mon-parcours/",
        {
            "kind": "leave",
            "leave_reason": "personal",
            "start_date": "2026-11-01",
            "end_date": "2028-04-30",
        },
    )
    assert "Une disponibilité dure au plus 1 an" in page_text(response)
    assert not SpecialSituation.objects.exists()
    response = client.post(
        "/cockpit/mon-parcours/",
        {
            "kind": "leave",
            "leave_reason": "family",
            "start_date": "2026-11-01",
            "end_date": "2027-04-30",
            "motive": "Naissance",
        },
        follow=True,
    )
    assert "Votre demande est envoyée" in page_text(response)
    assert "Disponibilité" in page_text(response)
    assert SpecialSituation.objects.get().status == "requested"


def test_the_attestation_pdf_reads_back_and_its_code_verifies(client, lea):
    client.force_login(lea.person.user)
    response = client.get(f"{LIST}{lea.pk}/documents/semesters/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Attestation de semestres validés" in text
    assert "a validé 1 semestre(s) de stage" in text
    assert "Médecine cardiovasculaire" in text
    document = IssuedDocument.objects.get()
    assert document.code in text
    page = page_text(client.get(f"/verifier/{document.code}/"))
    assert "Document authentique" in page and "1 semestre(s) validé(s)" in page
    assert "Service de cardiologie" not in page  # no more than the summary
    assert client.get("/verifier/AAAA-BBBB-CCCC/").status_code == 404


def test_senior_on_call_is_refused_with_what_is_missing(client, lea):
    client.force_login(lea.person.user)
    response = client.get(f"{LIST}{lea.pk}/documents/senior_on_call/", follow=True)
    assert "Il faut 7 semestres validés" in page_text(response)
    assert "il en manque 6" in page_text(response)
    assert not IssuedDocument.objects.exists()


def test_statistics_national_for_dgos_regional_for_an_ars(client, lea, people):
    make_resident(subdivision_code="RENNES", last_name="Breton")
    login_verified(client, people.dgos)
    page = page_text(client.get("/cockpit/statistiques/internes/"))
    assert "2 internes dans ce périmètre" in page
    client.force_login(people.ars)
    page = page_text(client.get("/cockpit/statistiques/internes/"))
    assert "1 interne dans ce périmètre" in page
    response = client.get("/cockpit/statistiques/internes/", {"export": "xlsx"})
    assert response.status_code == 200
    client.force_login(lea.person.user)
    assert client.get("/cockpit/statistiques/internes/").status_code == 403


def test_mass_phase_change_from_the_list_with_preview(client, lea, people):
    registry_user = people.faculty_registry
    client.force_login(registry_user)
    preview = client.post(
        f"{LIST}actions/",
        {"action": "phase", "all_matching": "1", "query": "q=garnier"},
    )
    text = page_text(preview)
    assert "Confirmer pour 1 ligne" in text and "Date du jury" in text
    assert "Validation impossible — Phase socle : 1 semestre validé" in text
    placements_validate(
        decisions=[
            {"placement": lea.placements.get(validation="pending"), "validated": True}
        ],
        by=registry_user,
    )
    client.post(
        f"{LIST}actions/",
        {
            "action": "phase",
            "all_matching": "1",
            "query": "q=garnier",
            "confirmed": "1",
            "jury_date": "2024-10-20",
            "decision": "validated",
        },
    )
    page = page_text(client.get(f"{LIST}{lea.pk}/"))
    assert "Phase d'approfondissement" in page
    assert date(2024, 10, 20).strftime("%d/%m/%Y") in page
    assert "Annuler" in page_text(client.get(f"{LIST}traitements/"))


# "Due" is a phase ending within 90 days of today: on this day Léa's socle is long
# over and Tardif's, begun a month ago, ends in October 2027.
@time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/Paris")))
def test_residents_due_for_a_jury_are_filtered(client, lea, people):
    later = make_resident(start=("winter", 2026), last_name="Tardif")
    client.force_login(people.faculty_registry)
    page = page_text(client.get(LIST, {"due": "true"}))
    assert "GARNIER" in page and "TARDIF" not in page
    assert later.pk


def test_the_registry_records_a_research_year_and_decides_it(client, lea, people):
    client.force_login(people.faculty_registry)
    response = client.post(
        f"{LIST}{lea.pk}/situation/",
        {"kind": "research", "start_date": "2027-11-01", "end_date": "2028-10-31"},
    )
    situation = SpecialSituation.objects.get(kind="research")
    assert response.url == f"/cockpit/situations/{situation.pk}/"
    client.post(
        f"/cockpit/situations/{situation.pk}/decision/decider/", {"approve": "1"}
    )
    situation.refresh_from_db()
    assert situation.status == "approved"
    client.force_login(people.ars)
    response = client.post(
        f"{LIST}{lea.pk}/situation/",
        {"kind": "research", "start_date": "2027-11-01", "end_date": "2028-10-31"},
    )
    assert response.status_code == 403
