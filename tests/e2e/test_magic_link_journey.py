"""A supervisor without a password signs in with a link received by e-mail."""

import re

import pytest
from django.core import mail
from django.utils import timezone

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
    )

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("link", name="Recevoir un lien de connexion par e-mail").click()
    page.get_by_label("Adresse e-mail").fill("sophie.moreau@chu-lyon.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert page.get_by_role("heading", name="Vérifiez votre messagerie").is_visible()
    screenshot("20-lien-demande")

    message = mail.outbox[-1]
    assert message.to == ["sophie.moreau@chu-lyon.fr"]
    url = re.search(r"https?://\S+", message.body).group(0)
    page.goto(live_server.url + "/" + url.split("/", 3)[3])
    page.get_by_role("button", name="Me connecter à SIIMOP").click()
    page.wait_for_url(live_server.url + "/cockpit/")
    assert page.get_by_text(
        "Responsable de terrain de stage (RTS) — Pneumologie — Croix-Rousse"
    ).is_visible()
    screenshot("21-lien-connecte")
