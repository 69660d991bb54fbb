"""A coordinator signs in with her university (the local SAML IdP), in a real browser;
then the UNESS admin merges a duplicate her sign-in revealed."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from domains.identity import dev_idp
from domains.identity.models import FederatedIdentity
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.factories.people import make_person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_university_sign_in_lands_on_the_cockpit(
    live_server, page, screenshot, settings
):
    settings.SIIMOP_BASE_URL = live_server.url  # the SP's and IdP's addresses
    dev_idp.register()
    person = make_person(
        email="marie.laurent@univ-lyon1.fr",
        first_name="Marie",
        last_name="Laurent",
        password=None,
    )
    function_grant(
        person=person, role=Role.RESIDENT, start_date=timezone.localdate(), by=SYSTEM
    )

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_role("link", name="Se connecter avec mon université").click()
    page.get_by_label("Rechercher mon établissement").fill("test")
    page.get_by_role("button", name="Rechercher").click()
    screenshot("30-universite-choix")
    page.get_by_role("link", name=dev_idp.NAME).click()

    # At the university: its own sign-in page.
    page.wait_for_url("**/dev-idp/sso/**")
    page.get_by_label("eduPersonPrincipalName").fill("mlaurent@univ-lyon1.fr")
    page.get_by_label("mail").fill("marie.laurent@univ-lyon1.fr")
    screenshot("31-universite-idp")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(live_server.url + "/cockpit/")
    assert "Marie LAURENT" in page.content()
    screenshot("32-universite-cockpit")
    assert FederatedIdentity.objects.get().person == person

    page.goto(live_server.url + "/cockpit/mes-informations/connexions/")
    expect(page.get_by_text("mlaurent@univ-lyon1.fr").first).to_be_visible()
    screenshot("33-mes-connexions")
