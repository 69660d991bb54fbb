"""In a browser: an unknown address shows the French DSFR 404 page (header, footer,
the way home), and the footer leads to the accessibility statement; axe-core finds no
serious violation on either, and the pages break no Content-Security-Policy rule."""

import pytest

from siimop_site.legal_pages import legal_pages_build
from tests.e2e.test_accessibility import AXE, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_404_page_and_the_footers_accessibility_statement(
    live_server, page, screenshot
):
    legal_pages_build()
    check = AXE.exists()
    if check:
        page.add_init_script(path=str(AXE))
    response = page.goto(live_server.url + "/cette-page-n-existe-pas/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page non trouvée"
    assert page.get_by_role("link", name="Page d'accueil").is_visible()
    assert page.get_by_role("link", name="Contacter UNESS Assistance").is_visible()
    screenshot("80-page-404")
    if check:
        assert violations(page) == []

    page.get_by_role("link", name="Accessibilité : non conforme").click()
    page.wait_for_url(live_server.url + "/accessibilite/")
    assert page.locator("h1").inner_text() == "Déclaration d'accessibilité"
    assert page.get_by_text("SIIMOP est non conforme").is_visible()
    assert page.get_by_role("heading", name="Voies de recours").is_visible()
    screenshot("81-declaration-accessibilite")
    if check:
        assert violations(page) == []

    page.get_by_role("contentinfo").get_by_role("link", name="Plan du site").click()
    page.wait_for_url(live_server.url + "/plan-du-site/")
    assert page.get_by_role("link", name="Déclaration d'accessibilité").is_visible()
