"""A supervisor without a password signs in with a link received by e-mail."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.factories.people import make_person
from tests.factories.referential import TrainingSiteFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_magic_link_from_the_email_lands_on_the_cockpit(live_server, page, screenshot):
    person = make_person(
        email="sophie.moreau@chu-lyon.fr",
        first_name="Sophie",
        last_name="Moreau",
        password=None,
    )
    function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=timezone.localdate(),
        training_site=TrainingSiteFactory(name="Pneumologie — Croix-Rousse"),
        by=SYSTEM,
    )

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("link", name="Recevoir un lien de connexion par e-mail").click()
    page.get_by_label("Adresse e-mail").fill("sophie.moreau@chu-lyon.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(
        page.get_by_role("heading", name="Vérifiez votre messagerie")
    ).to_be_visible()
    screenshot("20-lien-demande")

    message = mail.outbox[-1]
    assert message.to == ["sophie.moreau@chu-lyon.fr"]
    url = re.search(r"https?://\S+", message.body).group(0)
    page.goto(live_server.url + "/" + url.split("/", 3)[3])
    page.get_by_role("button", name="Me connecter à SIIMOP").click()
    page.wait_for_url(live_server.url + "/cockpit/")
    expect(
        page.get_by_text(
            "Responsable de terrain de stage (RTS) — Pneumologie — Croix-Rousse"
        )
    ).to_be_visible()
    screenshot("21-lien-connecte")


def test_account_request_approved_by_the_ars_then_the_new_rts_signs_in(
    live_server, page, screenshot
):
    from domains.identity.models import AccountRequest
    from tests.factories.people import PASSWORD
    from tests.factories.referential import region

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
    TrainingSiteFactory(name="Néphrologie — Édouard-Herriot")

    page.goto(live_server.url + "/compte/demande/")
    page.get_by_label("Rechercher votre terrain de stage").fill("néphro herriot")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Prénom").fill("Louise")
    page.locator("#id_last_name").fill("Martin")
    page.get_by_label("Adresse e-mail professionnelle").fill(
        "louise.martin@chu-lyon.fr"
    )
    page.get_by_label("Fonction demandée").select_option(
        label="Responsable de terrain de stage (RTS)"
    )
    page.get_by_label("Région de votre terrain de stage").select_option(
        label="Auvergne-Rhône-Alpes"
    )
    page.get_by_text(
        "Néphrologie — Édouard-Herriot"
    ).click()  # DSFR radios: click the label
    screenshot("22-demande-de-compte")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est enregistrée")).to_be_visible()

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("claire.dumont@ars.sante.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")
    request = AccountRequest.objects.get()
    page.goto(f"{live_server.url}/cockpit/demandes-de-compte/{request.pk}/")
    page.get_by_role("button", name="Accepter et envoyer un lien de connexion").click()
    expect(
        page.get_by_text("acceptée : un lien de connexion est envoyé")
    ).to_be_visible()
    screenshot("23-demande-acceptee")
    page.get_by_role("button", name="Se déconnecter").click()

    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + url.split("/", 3)[3])
    page.get_by_role("button", name="Me connecter à SIIMOP").click()
    page.wait_for_url(live_server.url + "/cockpit/")
    expect(
        page.get_by_text(
            "Responsable de terrain de stage (RTS) — Néphrologie — Édouard-Herriot"
        )
    ).to_be_visible()
    page.get_by_role("button", name="STAGES 3e CYCLE").click()
    page.get_by_role("link", name="Terrains de stage", exact=True).click()
    expect(
        page.get_by_role("link", name="Néphrologie — Édouard-Herriot")
    ).to_be_visible()
    screenshot("24-nouvelle-rts-son-terrain")
