"""The agents' screen: a level-1 agent of another subdivision gets nothing, through any
view or export; the team's agent answers with a canned answer and escalates."""

import pytest
from django.core import mail

from assistance.models import Category
from assistance.services import canned_answer_save, request_file, teams_setup
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db
BASE = "/cockpit/demandes-assistance/"


@pytest.fixture
def ticket():
    teams_setup()
    return request_file(
        title="Stage non visible",
        description="Mon stage d'été n'apparaît pas.",
        category=Category.PATH,
        email="interne@etu.exemple.fr",
        subdivision=subdivision("LYON"),
    )


def test_another_subdivisions_agent_gets_nothing(client, ticket, people):
    client.force_login(people.support_l1_elsewhere)
    assert "Stage non visible" not in client.get(BASE).content.decode()
    export = client.get(BASE + "export/xlsx/")
    assert export.status_code == 200
    assert b"Stage non visible" not in b"".join(export.streaming_content)
    assert client.get(f"{BASE}{ticket.pk}/").status_code == 404
    for name in ("repondre", "resoudre", "priorite", "escalader", "renvoyer"):
        url = f"{BASE}{ticket.pk}/decision/{name}/"
        data = {"text": "x", "priority": "1", "reason": "x"}
        assert client.post(url, data).status_code == 404, name
    assert (
        client.post(
            f"{BASE}{ticket.pk}/decision/escalader/", {"reason": "x"}
        ).status_code
        == 404
    )
    ticket.refresh_from_db()
    assert ticket.queue.team.subdivision == subdivision("LYON")


def test_the_teams_agent_answers_and_escalates_from_the_page(
    client, ticket, django_capture_on_commit_callbacks, people
):
    agent = people.support_l1
    canned_answer_save(
        by=people.support_l2,
        name="Stage en cours de saisie",
        body="La scolarité saisit les stages d'été en septembre.",
        team=None,
    )
    client.force_login(agent)
    page = client.get(f"{BASE}{ticket.pk}/").content.decode()
    assert "Stage en cours de saisie" in page  # offered, to be edited before sending
    assert "Première réponse attendue" in page
    response = client.post(
        f"{BASE}{ticket.pk}/decision/repondre/", {"text": " "}, follow=True
    )
    assert "Écrivez la réponse avant de l&#x27;envoyer." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{BASE}{ticket.pk}/decision/repondre/",
            {"text": "La scolarité saisit les stages d'été en septembre, patience."},
        )
    assert mail.outbox[-1].to == ["interne@etu.exemple.fr"]
    assert f"{BASE}{ticket.pk}/decision/escalader/" in page
    assert f"{BASE}{ticket.pk}/decision/renvoyer/" not in page  # already level 1
    response = client.post(
        f"{BASE}{ticket.pk}/decision/escalader/", {"reason": ""}, follow=True
    )
    assert "Dites pourquoi vous escaladez." in response.content.decode()
    response = client.post(
        f"{BASE}{ticket.pk}/decision/escalader/",
        {"reason": "Stage absent de la base."},
        follow=True,
    )
    assert "Demande escaladée au niveau 2." in response.content.decode()
    # Back on its page, now level 2's: she follows it, read only.
    assert "vous la suivez en lecture seule" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.queue.team.tier == 2
