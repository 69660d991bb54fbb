"""A person signs in from the public home page and finds her functions."""

import pytest
from playwright.sync_api import expect

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.factories.people import PASSWORD, make_person
from tests.factories.referential import region

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_ars_agent_signs_in_and_sees_her_region(live_server, page, screenshot):
    person = make_person(
        email="claire.dumont@ars.sante.fr", first_name="Claire", last_name="Dumont"
    )
    function_grant(
        person=person,
        role=Role.ARS,
        start_date=person.created_at.date(),
        region=region("84"),
        by=SYSTEM,
    )

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "SIIMOP"
    screenshot("01-accueil-public")
    page.get_by_role("link", name="Se connecter").first.click()

    page.get_by_label("Adresse e-mail").fill("claire.dumont@ars.sante.fr")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse e-mail ou mot de passe incorrect")).to_be_visible()
    screenshot("02-connexion-erreur")

    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")
    expect(page.get_by_text("Agent ARS — Auvergne-Rhône-Alpes")).to_be_visible()
    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    expect(page.get_by_text("Claire DUMONT").first).to_be_visible()
    screenshot("03-accueil-fonctions")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/connexion/")
