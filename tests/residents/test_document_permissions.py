"""Official documents are issued by the faculty registry and the resident herself only.

Each role of `Role` asks Léa's enrolment certificate (a Lyon resident in cardiology,
placed on a Lyon site): the registry of Lyon and Léa get the PDF, recorded with who
issued it; every other role, even one that reads her path, gets 403 (404 when Léa lies
outside its perimeter) and nothing is recorded. A UNESS administrator, superuser or not,
is refused: UNESS runs the platform, it does not attest for a faculty.
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from domains.residents.documents import document_issue
from domains.residents.models import IssuedDocument
from tests.conftest import login_verified, page_text
from tests.factories.people import make_user_with_role
from tests.factories.referential import subdivision
from tests.factories.residents import accredited_site, add_placement, make_resident

pytestmark = pytest.mark.django_db
REFUSAL = "Votre fonction ne permet pas de délivrer les documents officiels"


@dataclass(frozen=True)
class Case:
    who: str
    role: str
    status: int  # what the download answers: 200 the PDF, 403 refused, 404 not found


CASES = [
    Case("dgos", Role.DGOS, 403),
    Case("uness_admin", Role.UNESS_ADMIN, 403),
    Case("uness_superuser", Role.UNESS_ADMIN, 403),
    Case("ars", Role.ARS, 403),
    Case("registry", Role.FACULTY_REGISTRY, 200),
    Case("registry_elsewhere", Role.FACULTY_REGISTRY, 404),
    Case("coordinator", Role.COORDINATOR, 403),
    Case("site_supervisor", Role.SITE_SUPERVISOR, 403),
    Case("practitioner", Role.PRACTITIONER, 403),
    Case("site_assistant", Role.SITE_ASSISTANT, 403),
    Case("medical_affairs", Role.MEDICAL_AFFAIRS, 403),
    Case("establishment_director", Role.ESTABLISHMENT_DIRECTOR, 403),
    Case("herself", Role.RESIDENT, 200),
    Case("another_resident", Role.RESIDENT, 404),
    Case("representative", Role.RESIDENT_REPRESENTATIVE, 403),
    Case("support_l1", Role.SUPPORT_L1, 403),
    Case("support_l2", Role.SUPPORT_L2, 403),
]
IDS = [case.who for case in CASES]


@pytest.fixture
def world(people):
    lea = make_resident(first_name="Léa", last_name="Garnier")
    site = accredited_site(name="Service de cardiologie")
    add_placement(lea, "winter", 2023, site=site)
    establishment = site.establishment
    superuser = make_user_with_role(Role.UNESS_ADMIN)  # a second admin
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    users = {
        "dgos": people.dgos,
        "uness_admin": people.uness_admin,
        "uness_superuser": superuser,
        "ars": people.ars,
        "registry": people.faculty_registry,
        "registry_elsewhere": people.faculty_registry_elsewhere,
        "coordinator": people.coordinator,
        # Those of the site where she trains (not the samples' site).
        "site_supervisor": make_user_with_role(
            Role.SITE_SUPERVISOR, training_site=site
        ),
        "practitioner": make_user_with_role(Role.PRACTITIONER, training_site=site),
        "site_assistant": make_user_with_role(Role.SITE_ASSISTANT, training_site=site),
        "medical_affairs": make_user_with_role(
            Role.MEDICAL_AFFAIRS, establishment=establishment
        ),
        "establishment_director": make_user_with_role(
            Role.ESTABLISHMENT_DIRECTOR, establishment=establishment
        ),
        "herself": lea.person.user,
        "another_resident": make_resident(last_name="Autre").person.user,
        "representative": people.resident_representative,
        "support_l1": people.support_l1,
        "support_l2": people.support_l2,
    }
    return lea, users


def test_every_role_is_judged():
    assert {case.role for case in CASES} == set(Role)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_who_downloads_an_enrolment_certificate(client, world, case):
    lea, users = world
    user = users[case.who]
    login_verified(client, user)
    response = client.get(f"/cockpit/internes/{lea.pk}/documents/enrolment/")
    assert response.status_code == case.status
    if case.status != 200:
        assert not IssuedDocument.objects.exists()
        return
    assert response["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get()
    assert (document.resident, document.kind, document.issued_by) == (
        lea,
        "enrolment",
        user,
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="enrolment-{document.code}.pdf"'
    )
    assert "Document authentique" in page_text(
        client.get(f"/verifier/{document.code}/")
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_service_asks_the_same_rule(world, case):
    lea, users = world
    user = users[case.who]
    if case.status == 200:
        _content, document = document_issue(resident=lea, kind="enrolment", by=user)
        assert document.issued_by == user
        return
    with pytest.raises(PermissionDenied, match=REFUSAL):
        document_issue(resident=lea, kind="enrolment", by=user)
    assert not IssuedDocument.objects.exists()


def test_a_superuser_holds_the_django_permission_and_is_still_refused(world):
    lea, users = world
    superuser = users["uness_superuser"]
    assert superuser.has_perm("residents.issue_document")
    with pytest.raises(PermissionDenied, match=REFUSAL):
        document_issue(resident=lea, kind="semesters", by=superuser)
    assert not IssuedDocument.objects.exists()


def test_a_function_lends_nothing_to_another(world):
    """Support L1 in Lyon and registry in Rennes: neither function issues Léa's."""
    lea, users = world
    agent = users["support_l1"]
    function_grant(
        person=agent.person,
        role=Role.FACULTY_REGISTRY,
        start_date=lea.enrolments.get().start_semester.start_date,
        subdivision=subdivision("RENNES"),
        by=SYSTEM,
    )
    with pytest.raises(PermissionDenied, match=REFUSAL):
        document_issue(resident=lea, kind="enrolment", by=agent)
    assert not IssuedDocument.objects.exists()


def test_a_resident_issues_only_her_own_even_by_calling_the_service(world):
    lea, users = world
    other = make_resident(last_name="Voisine")
    with pytest.raises(PermissionDenied, match=REFUSAL):
        document_issue(resident=other, kind="enrolment", by=lea.person.user)
    assert not IssuedDocument.objects.exists()


def test_an_anonymous_call_to_the_service_is_refused(world):
    lea, _users = world
    with pytest.raises(PermissionDenied, match=REFUSAL):
        document_issue(resident=lea, kind="enrolment", by=None)
    assert not IssuedDocument.objects.exists()


DOWNLOAD = "/documents/"


@pytest.mark.parametrize(
    "who", ["coordinator", "ars", "dgos", "support_l1", "support_l2", "uness_superuser"]
)
def test_read_only_roles_see_the_path_without_download_buttons(client, world, who):
    lea, users = world
    login_verified(client, users[who])
    response = client.get(f"/cockpit/internes/{lea.pk}/")
    assert response.status_code == 200
    page = page_text(response)
    assert "Phase socle" in page
    assert DOWNLOAD not in page and "Certificat d'inscription" not in page


def test_the_registry_sees_the_download_buttons(client, world):
    lea, users = world
    login_verified(client, users["registry"])
    page = page_text(client.get(f"/cockpit/internes/{lea.pk}/"))
    assert f"/cockpit/internes/{lea.pk}/documents/enrolment/" in page
    assert "Certificat d'inscription" in page


def test_the_resident_sees_her_download_buttons_on_mon_parcours(client, world):
    lea, _users = world
    login_verified(client, lea.person.user)
    page = page_text(client.get("/cockpit/mon-parcours/"))
    assert f"/cockpit/internes/{lea.pk}/documents/enrolment/" in page
    assert "Attestation de semestres validés" in page
