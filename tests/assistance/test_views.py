"""Filing a request from any page, signed in or not, and following it."""

import pytest
from django.core.cache import cache

from assistance.models import TicketContext
from assistance.services import teams_setup
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db

DATA = {
    "category": "appariements",
    "title": "Mes vœux ne s'enregistrent pas",
    "description": "Le bouton Valider ne fait rien.",
}


@pytest.fixture(autouse=True)
def teams():
    teams_setup()
    cache.clear()


def test_a_resident_files_from_a_cockpit_page_and_follows_her_request(client, people):
    resident = make_resident(last_name="DEMANDEUSE")
    user = resident.person.user
    client.force_login(user)
    page = client.get("/assistance/nouvelle/?depuis=/cockpit/mon-appariement/")
    assert "Page d'origine : /cockpit/mon-appariement/." in page.content.decode()
    response = client.post(
        "/assistance/nouvelle/",
        {**DATA, "email": user.email, "page": "/cockpit/mon-appariement/"},
        follow=True,
    )
    assert "enregistrée : un accusé de réception" in response.content.decode()
    context = TicketContext.objects.get(person=resident.person)
    assert context.page == "/cockpit/mon-appariement/"
    assert context.application == "Cockpit"
    assert context.subdivision == resident.subdivision
    assert context.ticket.queue.team.subdivision == resident.subdivision
    assert "Mes vœux ne s&#x27;enregistrent pas" in response.content.decode()
    other = people.resident
    client.force_login(other)
    # Her request is hers alone (the menu's « Mes vœux » entry is everyone's).
    assert (
        "Mes vœux ne s" not in client.get("/assistance/mes-demandes/").content.decode()
    )


def test_signed_out_visitors_file_a_few_requests_an_hour(client):
    for _ in range(5):
        response = client.post(
            "/assistance/nouvelle/", {**DATA, "email": "perdu@exemple.fr"}
        )
        assert response.status_code == 302
    response = client.post(
        "/assistance/nouvelle/", {**DATA, "email": "perdu@exemple.fr"}
    )
    assert "Trop de demandes depuis cette adresse" in response.content.decode()
    assert TicketContext.objects.count() == 5
    # Without a subdivision known, level 2 takes them.
    assert {c.tier for c in TicketContext.objects.all()} == {2}


def test_the_origin_is_never_an_outside_address(client):
    response = client.get("/assistance/nouvelle/?depuis=https://ailleurs.example/x")
    page = response.content.decode()
    assert 'value="https://ailleurs.example/x"' not in page
    assert "Page d'origine" not in page


def test_every_page_links_to_uness_assistance(client):
    page = client.get("/compte/connexion/").content.decode()
    assert "/assistance/nouvelle/?depuis=/compte/connexion/" in page


def test_she_reads_the_answer_replies_and_closes_her_request(
    client, django_capture_on_commit_callbacks, people
):
    from helpdesk.models import Ticket

    from assistance.services import answer_send

    resident = make_resident(last_name="SUIVIE")
    user = resident.person.user
    client.force_login(user)
    client.post("/assistance/nouvelle/", {**DATA, "email": user.email})
    ticket = TicketContext.objects.get(person=resident.person).ticket
    agent = people.support_l1
    answer_send(by=agent, ticket=ticket, text="Videz le cache de votre navigateur.")
    url = f"/assistance/mes-demandes/{ticket.pk}/"
    assert "Videz le cache de votre navigateur." in client.get(url).content.decode()
    response = client.post(
        f"{url}decision/repondre/", {"text": "C'est réglé, merci."}, follow=True
    )
    assert "Message envoyé à l&#x27;assistance." in response.content.decode()
    response = client.post(f"{url}decision/clore/", follow=True)
    assert "Demande close. Merci." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.CLOSED_STATUS
    other = people.resident
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}decision/clore/").status_code == 404


def test_her_page_says_why_a_decision_is_refused(client):
    resident = make_resident(last_name="REFUSEE")
    user = resident.person.user
    client.force_login(user)
    client.post("/assistance/nouvelle/", {**DATA, "email": user.email})
    ticket = TicketContext.objects.get(person=resident.person).ticket
    url = f"/assistance/mes-demandes/{ticket.pk}/"
    response = client.post(f"{url}decision/repondre/", {"text": ""})
    assert "Écrivez votre message avant de l&#x27;envoyer." in response.content.decode()
    client.post(f"{url}decision/clore/")
    response = client.post(f"{url}decision/clore/")
    page = response.content.decode()
    assert "Cette demande est déjà close." in page
    assert f'action="{url}decision/clore/"' not in page  # no more offered
    assert client.post(f"{url}decision/inventee/").status_code == 404
    assert client.get(f"{url}decision/clore/").status_code == 405
