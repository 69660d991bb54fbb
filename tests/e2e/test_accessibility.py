"""axe-core (npm, injected into the page) finds no serious or critical accessibility
violation on the public home, a content page with blocks, the news, the search page,
the training catalogue and a course."""

import json
from pathlib import Path

import pytest

from siimop_site.models import HomePage, NewsIndexPage, StandardPage
from tests.factories.courses import make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def violations(page) -> list[str]:
    # axe-core is an init script of the page (see the test): the pages'
    # Content-Security-Policy refuses a script tag added to them.
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violation(
    live_server, page, screenshot
):
    if not AXE.exists():
        pytest.skip("axe-core absent : npm ci (make install le fait)")
    home = HomePage.objects.get()
    body = json.dumps(
        [
            {"type": "paragraph", "value": "<h2>Calendrier</h2><p>Trois étapes.</p>"},
            {
                "type": "callout",
                "value": {"title": "À noter", "text": "<p>Avant mars.</p>"},
            },
            {
                "type": "faq",
                "value": {
                    "title": "Questions fréquentes",
                    "questions": [
                        {"question": "Qui dépose ?", "answer": "<p>Le RTS.</p>"}
                    ],
                },
            },
        ]
    )
    for page_model in (
        StandardPage(title="Guide des agréments", slug="guide", body=body),
        NewsIndexPage(title="Actualités", slug="actualites"),
    ):
        home.add_child(instance=page_model)
        page_model.save_revision().publish()
    course, _lessons, _quiz = make_course()
    page.add_init_script(path=str(AXE))
    found = {}
    for path in (
        "/",
        "/guide/",
        "/actualites/",
        "/recherche/?q=agréments",
        course.get_parent().url,  # the training catalogue
        course.url,
        "/terrains-agrees/",  # the public list of accredited sites
    ):
        page.goto(live_server.url + path)
        found[path] = violations(page)
    screenshot("70-site-accueil-accessibilite")
    assert found == {path: [] for path in found}
    # The check itself sees a violation when there is one.
    page.set_content(
        "<html lang='fr'><body><main><img src='x.png'></main></body></html>"
    )
    assert any(v.startswith("image-alt") for v in violations(page))


def test_cockpit_pages_have_no_serious_accessibility_violation(
    live_server, page, screenshot
):
    """An ARS agent's day: the home dashboard, a list with bulk selection, a record's
    page with its history, a form (blank, then refused with its error summary) and
    the French 404 page."""
    if not AXE.exists():
        pytest.skip("axe-core absent : npm ci (make install le fait)")
    from domains.accreditation.models import AccreditationRequest
    from domains.referential.models import Accreditation
    from tests.e2e.browser import sign_in
    from tests.e2e.test_cockpit_layout import demo_like_region

    world = demo_like_region()
    request = AccreditationRequest.objects.order_by("pk").first()
    accreditation = Accreditation.objects.order_by("pk").first()
    page.add_init_script(path=str(AXE))
    sign_in(page, live_server, world.ars)
    found = {"/cockpit/": violations(page)}
    for path in (
        "/cockpit/demandes-agrement/",  # a list with selection boxes
        "/cockpit/agrements/",
        f"/cockpit/demandes-agrement/{request.pk}/",  # a record, with its history
        f"/cockpit/agrements/{accreditation.pk}/",
        "/cockpit/agrements/nouveau/",  # a form
    ):
        page.goto(live_server.url + path)
        found[path] = violations(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.locator("[data-error-summary]").wait_for()
    found["/cockpit/agrements/nouveau/ (refusé)"] = violations(page)
    screenshot("71-cockpit-formulaire-refuse-accessibilite")
    response = page.goto(live_server.url + "/cockpit/cette-page-n-existe-pas/")
    assert response.status == 404
    found["404"] = violations(page)
    screenshot("72-cockpit-404-accessibilite")
    assert found == {path: [] for path in found}
