"""A resident asks for a disponibilité online; the faculty registry grants it; she sees it."""

import pytest

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.e2e.browser import sign_in
from tests.factories.people import make_person
from tests.factories.referential import subdivision
from tests.factories.residents import add_placement, make_resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leave_request_granted_by_the_faculty(live_server, page, screenshot):
    resident = make_resident(
        email="lea.garnier@etu.univ-lyon1.fr", first_name="Léa", last_name="Garnier"
    )
    for season, year in (("winter", 2023), ("summer", 2024), ("winter", 2024)):
        add_placement(resident, season, year)
    registry = make_person(
        email="scolarite@univ-lyon1.fr", first_name="Nadia", last_name="Roche"
    )
    function_grant(
        person=registry,
        role=Role.FACULTY_REGISTRY,
        start_date=resident.enrolments.get().start_semester.start_date,
        subdivision=subdivision("LYON"),
        by=SYSTEM,
    )

    sign_in(page, live_server, "lea.garnier@etu.univ-lyon1.fr")
    page.goto(live_server.url + "/cockpit/mon-parcours/")
    assert page.locator("#seniority").inner_text() == "3"
    page.get_by_label("Demande").select_option("leave")
    page.locator("#id_start_date").fill("2027-05-01")
    page.locator("#id_end_date").fill("2027-10-31")
    page.get_by_label("Motif de la disponibilité").select_option("family")
    page.get_by_label("Explications").fill("Naissance de mon enfant.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text("Votre demande est envoyée").wait_for()
    assert "Demandée" in page.locator("#situations").inner_text()
    screenshot("40-parcours-demande")
    page.context.clear_cookies()

    sign_in(page, live_server, "scolarite@univ-lyon1.fr")
    page.goto(live_server.url + "/cockpit/situations/")
    page.get_by_role("link", name="Disponibilité").click()
    page.get_by_text("Accorder").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    screenshot("41-scolarite-decision")
    page.context.clear_cookies()

    sign_in(page, live_server, "lea.garnier@etu.univ-lyon1.fr")
    page.goto(live_server.url + "/cockpit/mon-parcours/")
    assert "Accordée" in page.locator("#situations").inner_text()
    screenshot("42-parcours-accordee")
