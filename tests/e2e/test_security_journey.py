"""One sign-in policy, in a browser: the admin's door leads to ours, and a sensitive
change on an old session asks who you are first."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from domains.cockpit.confirmation import SESSION_KEY
from tests.e2e.browser import sign_in
from tests.factories.people import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _age_session(page, minutes: int) -> None:
    """As if she had signed in `minutes` ago and left the tab open."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_an_old_session_confirms_before_changing_sign_in_methods(
    live_server, page, screenshot, people
):
    person = people.ars.person

    # The Wagtail admin's login is ours, keeping where she was going.
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.wait_for_url("**/compte/connexion/?next=/admin/")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    screenshot("60-admin-vers-connexion")

    sign_in(page, live_server, person.user)
    _age_session(page, 11)
    page.goto(live_server.url + "/cockpit/mes-informations/connexions/")
    page.locator("#sign-in-methods").get_by_role("button", name="Désactiver").click()

    page.wait_for_url("**/compte/confirmer/**")
    expect(page.get_by_role("heading", name="Confirmez votre identité")).to_be_visible()
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Mot de passe incorrect")).to_be_visible()
    screenshot("61-confirmer-erreur")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()

    # Back where she acted; this time the change goes through.
    page.wait_for_url("**/cockpit/mes-informations/connexions/")
    page.locator("#sign-in-methods").get_by_role("button", name="Désactiver").click()
    expect(page.get_by_text("Ce moyen de connexion est retiré")).to_be_visible()
    expect(page.locator("#sign-in-methods")).to_contain_text("désactivé")
    screenshot("62-connexions-apres-confirmation")
    expect(page.get_by_text("Identité confirmée (action sensible)")).to_be_visible()
    person.user.refresh_from_db()
    assert not person.user.magic_link_enabled
