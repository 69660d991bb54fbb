"""The cockpit as an ARS agent and as a resident use it, in a real browser."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.e2e.browser import sign_in
from tests.factories.people import make_person
from tests.factories.referential import (
    AccreditationFactory,
    PostFactory,
    current_semester,
    region,
    specialty,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_ars_filters_exports_and_updates_a_supervisor(live_server, page, screenshot):
    ars = make_person(
        email="claire.dumont@ars.sante.fr", first_name="Claire", last_name="Dumont"
    )
    function_grant(
        person=ars,
        role=Role.ARS,
        start_date=timezone.localdate(),
        region=region("84"),
        by=SYSTEM,
    )
    cardio = AccreditationFactory(
        training_site__name="Cardiologie — Croix-Rousse", specialty=specialty("DES-MCA")
    ).training_site
    AccreditationFactory(
        training_site__name="Néphrologie — Édouard-Herriot",
        specialty=specialty("DES-NEP"),
    )
    rts = make_person(
        first_name="Sophie", last_name="Moreau", email="s.moreau@chu-lyon.fr"
    )
    function_grant(
        person=rts,
        role=Role.SITE_SUPERVISOR,
        start_date=timezone.localdate(),
        training_site=cardio,
        by=SYSTEM,
    )

    sign_in(page, live_server, "claire.dumont@ars.sante.fr")
    page.get_by_role("button", name="STAGES 3e CYCLE").click()
    page.get_by_role("link", name="Terrains de stage", exact=True).click()
    page.get_by_label("Agréé pour la spécialité").select_option(
        label="Médecine cardiovasculaire"
    )
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_text("1 résultat").wait_for()  # the filtered page, not the one before
    expect(page.get_by_role("link", name="Cardiologie — Croix-Rousse")).to_be_visible()
    assert page.get_by_text("Néphrologie — Édouard-Herriot").count() == 0
    expect(page.get_by_text("1 résultat")).to_be_visible()
    screenshot("10-ars-terrains-filtres")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "terrains-de-stage.xlsx"
    with open(download.path(), "rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Nom"
    assert [r[0] for r in rows[1:]] == ["Cardiologie — Croix-Rousse"]

    page.get_by_role("link", name="Cardiologie — Croix-Rousse").click()
    expect(
        page.get_by_role("heading", name="Cardiologie — Croix-Rousse")
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name="s.moreau@chu-lyon.fr", exact=True)
    ).to_be_visible()
    screenshot("11-ars-fiche-terrain")
    page.get_by_role("link", name="Coordonnées de Sophie MOREAU").click()
    page.get_by_label("Adresse e-mail").fill("sophie.moreau@chu-lyon.fr")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Coordonnées de Sophie MOREAU mises à jour.")
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name="sophie.moreau@chu-lyon.fr", exact=True)
    ).to_be_visible()
    history = page.locator("#history-title + div")
    expect(
        history.get_by_text("Création — Adresse e-mail « sophie.moreau@chu-lyon.fr »")
    ).to_be_visible()
    expect(history.get_by_text("Claire DUMONT", exact=False).first).to_be_visible()
    screenshot("12-ars-historique-contact")


def test_resident_cannot_reach_the_posts_edit_screen(live_server, page, screenshot):
    resident = make_person(email="camille.bertrand@etu.univ-lyon1.fr")
    function_grant(
        person=resident, role=Role.RESIDENT, start_date=timezone.localdate(), by=SYSTEM
    )
    accreditation = AccreditationFactory()
    post = PostFactory(
        training_site=accreditation.training_site, semester=current_semester()
    )

    sign_in(page, live_server, "camille.bertrand@etu.univ-lyon1.fr")
    assert page.get_by_role("button", name="STAGES 3e CYCLE").count() == 0
    response = page.goto(f"{live_server.url}/cockpit/postes/{post.pk}/modifier/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/cockpit/postes/")
    assert response.status == 403
    screenshot("13-interne-postes-refuse")
    page.goto(f"{live_server.url}/cockpit/mes-informations/adresses/")
    expect(
        page.get_by_role("cell", name="camille.bertrand@etu.univ-lyon1.fr")
    ).to_be_visible()
