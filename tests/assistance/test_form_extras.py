"""The request form's attachments and knowledge-base suggestions, the late tickets'
filter, and the person's SIIMOP context on the agent's page."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from helpdesk.models import KBCategory, KBItem, Ticket
from openpyxl import load_workbook

from assistance.models import ArticleRead, Category, Team, TicketContext
from assistance.services import request_file, teams_setup
from tests.factories.referential import subdivision
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db
BASE = "/cockpit/demandes-assistance/"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200


@pytest.fixture
def resident_client(client):
    teams_setup()
    resident = make_resident(subdivision_code="LYON")
    client.force_login(resident.person.user)
    client.resident = resident
    return client


def test_the_screenshot_filed_with_a_request_reaches_its_agents_only(
    resident_client, people
):
    response = resident_client.post(
        "/assistance/nouvelle/",
        {
            "category": Category.PATH,
            "title": "Stage absent",
            "description": "Mon stage n'apparaît pas.",
            "email": "lea@etu.exemple.fr",
            "attachment": SimpleUploadedFile("capture.png", PNG, "image/png"),
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(title="Stage absent")
    mine = resident_client.get(f"/assistance/mes-demandes/{ticket.pk}/").content
    assert b"capture.png" in mine
    attachment = ticket.followup_set.get().followupattachment_set.get()

    agent = people.support_l1
    resident_client.force_login(agent)
    url = f"{BASE}{ticket.pk}/pieces/{attachment.pk}/"
    assert url in resident_client.get(f"{BASE}{ticket.pk}/").content.decode()
    download = resident_client.get(url)
    assert b"".join(download.streaming_content) == PNG

    resident_client.force_login(people.support_l1_elsewhere)
    assert resident_client.get(url).status_code == 404
    assert (
        resident_client.get(
            f"/assistance/mes-demandes/{ticket.pk}/pieces/{attachment.pk}/"
        ).status_code
        == 404
    )


def test_a_forbidden_file_is_refused_and_nothing_is_filed(resident_client):
    response = resident_client.post(
        "/assistance/nouvelle/",
        {
            "category": Category.PATH,
            "title": "Stage absent",
            "description": "Mon stage n'apparaît pas.",
            "email": "lea@etu.exemple.fr",
            "attachment": SimpleUploadedFile("outil.exe", b"MZ" * 50),
        },
    )
    assert response.status_code == 200
    assert "« outil.exe » : formats acceptés .pdf" in response.content.decode()
    assert not Ticket.objects.exists()


def test_articles_matching_the_words_typed_are_suggested_and_reads_counted(
    resident_client,
):
    category = KBCategory.objects.create(
        name="Comptes", title="Compte et connexion", slug="comptes", description="."
    )
    article = KBItem.objects.create(
        category=category,
        title="Réinitialiser son mot de passe",
        question="Je n'arrive plus à me connecter : mot de passe oublié.",
        answer="Cliquez sur « Mot de passe oublié ».",
    )
    KBItem.objects.create(
        category=category,
        title="Changer d'adresse e-mail",
        question="Mon adresse a changé.",
        answer="…",
    )
    hit = resident_client.get(
        "/assistance/suggestions/",
        {"title": "connexion impossible", "description": "mot de passe refusé"},
    ).content.decode()
    assert "Réinitialiser son mot de passe" in hit
    assert "Changer d'adresse" not in hit
    none = resident_client.get("/assistance/suggestions/", {"title": "amphi"})
    assert "articles d'aide" not in none.content.decode()

    page = resident_client.get(f"/assistance/aide/{article.pk}/?depuis=formulaire")
    assert "Mot de passe oublié" in page.content.decode()
    read = ArticleRead.objects.get()
    assert read.article == article and read.subdivision == subdivision("LYON")


def _filed(title: str, *, late: bool) -> Ticket:
    ticket = request_file(
        title=title,
        description="…",
        category=Category.ACCOUNT,
        email="rts@chu.exemple.fr",
        subdivision=subdivision("LYON"),
    )
    if late:
        past = datetime.now().astimezone() - timedelta(days=30)
        TicketContext.objects.filter(ticket=ticket).update(
            first_response_due=past, resolution_due=past
        )
    return ticket


def test_late_tickets_are_flagged_listed_and_exported(client, people):
    teams_setup()
    _filed("Demande en retard", late=True)
    _filed("Demande dans les temps", late=False)
    client.force_login(people.support_l1)
    late_only = client.get(BASE, {"late": "true"}).content.decode()
    assert "Demande en retard" in late_only
    assert "Demande dans les temps" not in late_only
    assert "En retard" in late_only
    home = client.get("/cockpit/").content.decode()
    assert "Demandes d&#x27;assistance en retard" in home
    export = client.get(BASE + "export/xlsx/", {"late": "true"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["Demande en retard"]
    assert rows[0][-1] == "oui"


def test_the_persons_path_is_one_click_away_inside_the_perimeter_only(client, people):
    teams_setup()
    resident = make_resident(subdivision_code="LYON")
    ticket = request_file(
        title="Attestation",
        description="…",
        category=Category.PATH,
        email="lea@etu.exemple.fr",
        subdivision=subdivision("LYON"),
        person=resident.person,
    )
    # Level 2 is national: it sees the path; a level-1 agent of the subdivision too.
    for agent in (
        people.support_l1,
        people.support_l2,
    ):
        client.force_login(agent)
        page = client.get(f"{BASE}{ticket.pk}/").content.decode()
        assert f"/cockpit/internes/{resident.pk}/" in page
        assert client.get(f"/cockpit/internes/{resident.pk}/").status_code == 200
    # The ticket moved to another subdivision's team (say, the resident's new one):
    # that team's agent reads the request but not a path outside his perimeter.
    ticket.queue = Team.objects.get(subdivision=subdivision("RENNES")).queue
    ticket.save()
    client.force_login(people.support_l1_elsewhere)
    page = client.get(f"{BASE}{ticket.pk}/").content.decode()
    assert "hors de votre périmètre" in page
    assert f"/cockpit/internes/{resident.pk}/" not in page
