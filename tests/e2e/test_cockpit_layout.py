"""The cockpit at 1280×800, as an ARS agent sees it on a common laptop: the menu holds
on one line, no list hides a column off-screen, column headers are capitalised, each
bulk-selection box sits inside its own row and names its record, and a refused form
puts the focus on its error summary."""

import datetime as dt

import pytest
from django.utils import timezone

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.e2e.browser import sign_in
from tests.factories.accreditation import make_world
from tests.factories.people import make_person
from tests.factories.referential import (
    EstablishmentFactory,
    PostFactory,
    TrainingSiteFactory,
    current_semester,
    phase,
    specialty,
    subdivision,
)
from tests.factories.residents import accredited_site, add_placement, make_resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": HEIGHT}}


def demo_like_region():
    """An ARS agent's region with what makes lists wide: long hospital and site
    names, long specialties, every phase, a long e-mail address, requests to select."""
    world = make_world(specialties=("DES-MCA", "DES-CTC", "DES-MTR"))
    clermont = subdivision("CLERMONT_FERRAND")
    msp = EstablishmentFactory(
        name="Maison de santé pluriprofessionnelle de Clermont-Ferrand",
        city="Clermont-Ferrand",
    )
    chu = EstablishmentFactory(
        name="Centre hospitalier universitaire de Clermont-Ferrand",
        city="Clermont-Ferrand",
    )
    sites = [
        accredited_site(
            "DES-CTC",
            "CLERMONT_FERRAND",
            establishment=chu,
            name="Chirurgie thoracique et cardiovasculaire — Centre hospitalier "
            "universitaire de Clermont-Ferrand",
            department="Chirurgie thoracique et cardiovasculaire",
        ),
        accredited_site(
            "DES-MTR",
            "CLERMONT_FERRAND",
            establishment=msp,
            name="Cabinet du Dr Besson — Maison de santé pluriprofessionnelle",
            department="Médecine et santé au travail",
        ),
        TrainingSiteFactory(
            subdivision=clermont,
            establishment=chu,
            name="Anesthésie-réanimation — Centre hospitalier universitaire de "
            "Clermont-Ferrand",
        ),
    ]
    for site in sites:
        # The world's RTS runs these sites too: he files a request for each.
        function_grant(
            person=world.rts.person,
            role=Role.SITE_SUPERVISOR,
            start_date=timezone.localdate() - dt.timedelta(days=30),
            training_site=site,
            by=SYSTEM,
        )
        world.new_request(specialty_code="DES-CTC", site=site)
    world.new_request(specialty_code="DES-MCA")
    semester = current_semester()
    for site in sites[:2]:
        for code in ("socle", "approfondissement", "consolidation"):
            PostFactory(
                semester=semester,
                training_site=site,
                specialty=specialty("DES-CTC"),
                phase=phase(code),
                seats=2,
            )
    for n in range(3):
        resident = make_resident(
            subdivision_code="CLERMONT_FERRAND",
            specialty_code="DES-CTC",
            first_name="Marie-Amélie",
            last_name=f"de La Tour d'Auvergne-Lauraguais{n}",
        )
        add_placement(resident, "winter", 2024, site=sites[0], specialty_code="DES-CTC")
    rts = make_person(
        first_name="Jean-Baptiste",
        last_name="de La Tour d'Auvergne",
        email="jean-baptiste.de-la-tour-dauvergne@chu-clermont-ferrand.fr",
    )
    function_grant(
        person=rts,
        role=Role.SITE_SUPERVISOR,
        start_date=timezone.localdate() - dt.timedelta(days=30),
        training_site=sites[0],
        by=SYSTEM,
    )
    return world


MENU_ON_ONE_LINE = """() => {
  const list = document.querySelector("#fr-navigation .fr-nav__list");
  const items = [...list.querySelectorAll(":scope > .fr-nav__item")];
  const lines = (element) => {
    // The distinct line boxes of an entry's own text.
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = [...range.getClientRects()].filter((r) => r.width > 0)
      .map((r) => Math.round(r.top));
    return new Set(tops).size;
  };
  const entry = (item) => item.querySelector(".fr-nav__link, .fr-nav__btn");
  return {
    listHeight: list.getBoundingClientRect().height,
    itemHeight: Math.min(...items.map((i) => i.getBoundingClientRect().height)),
    tops: [...new Set(items.map((i) => Math.round(i.getBoundingClientRect().top)))],
    multiline: items.filter((i) => lines(entry(i)) > 1)
      .map((i) => entry(i).textContent.trim()),
    overflow: list.scrollWidth - list.clientWidth,
  };
}"""

TABLES = """() => [...document.querySelectorAll("main table")].map((table) => {
  const box = table.closest(".fr-table__container, .fr-table") || table.parentElement;
  return {
    caption: (table.caption && table.caption.textContent.trim()) || "",
    tableWidth: table.scrollWidth,
    room: box.clientWidth,
    headers: [...table.querySelectorAll("thead th")]
      .map((th) => th.textContent.replace("(trier)", "").trim())
      .filter((t) => t && !t.startsWith("Tout sélectionner")),
  };
})"""

SELECTION_BOXES = """() => [...document.querySelectorAll('input[name="selection"]')]
  .map((input) => {
    const row = input.closest("tr").getBoundingClientRect();
    const label = document.querySelector(`label[for="${input.id}"]`);
    const drawn = label.getBoundingClientRect();
    const before = getComputedStyle(label, "::before");
    const top = drawn.top + parseFloat(before.marginTop);
    const box = input.getBoundingClientRect();
    return {
      name: label.textContent.trim(),
      row: [row.top, row.bottom],
      input: [box.top, box.bottom],
      drawn: [top, top + parseFloat(before.height)],
    };
  })"""


def test_the_cockpit_fits_a_1280_screen(live_server, page, screenshot):
    world = demo_like_region()
    sign_in(page, live_server, world.ars)

    menu = page.evaluate(MENU_ON_ONE_LINE)
    assert menu["multiline"] == [], menu
    assert len(menu["tops"]) == 1, menu  # every entry in one row
    assert abs(menu["listHeight"] - menu["itemHeight"]) < 1, menu
    assert menu["overflow"] <= 0, menu
    screenshot("90-cockpit-1280-accueil")

    entries = page.evaluate(
        """() => [...document.querySelectorAll("#fr-navigation a.fr-nav__link")]
          .map((a) => a.getAttribute("href"))
          .filter((href) => href.startsWith("/cockpit/"))"""
    )
    assert "/cockpit/demandes-agrement/" in entries  # the ARS menu, not a bare one
    seen, wide, lower, boxes = [], [], [], []
    for href in dict.fromkeys(entries):
        page.goto(live_server.url + href)
        tables = page.evaluate(TABLES)
        if not tables:
            continue
        seen.append(href)
        page_overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        for table in tables:
            if table["tableWidth"] > table["room"] or page_overflow > 0:
                wide.append((href, table["tableWidth"], table["room"], page_overflow))
            lower += [
                (href, h) for h in table["headers"] if h[0].isalpha() and h[0].islower()
            ]
        for box in page.evaluate(SELECTION_BOXES):
            boxes.append((href, box))
        screenshot("91-cockpit-1280" + href.rstrip("/").replace("/", "-"))
    assert len(seen) >= 10, seen
    assert wide == []
    assert lower == []

    # Bulk selection: each box inside its own row, the drawn box over the real input,
    # each named after its record.
    assert {href for href, _box in boxes} >= {
        "/cockpit/demandes-agrement/",
        "/cockpit/postes/",
    }
    for href, box in boxes:
        top, bottom = box["row"]
        for part in ("input", "drawn"):
            assert top <= box[part][0] and box[part][1] <= bottom, (href, part, box)
        assert abs(box["input"][0] - box["drawn"][0]) < 1, (href, box)
        assert box["name"].startswith("Sélectionner ") and len(box["name"]) > 13
    for href in {href for href, _box in boxes}:
        names = [box["name"] for h, box in boxes if h == href]
        assert len(set(names)) == len(names), (href, names)  # each names its own row


def test_a_refused_form_puts_the_focus_on_its_error_summary(
    live_server, page, screenshot
):
    world = demo_like_region()
    sign_in(page, live_server, world.ars)
    page.goto(live_server.url + "/cockpit/agrements/nouveau/")
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate(
        "() => document.activeElement.matches('[data-error-summary]')"
    ), page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    heading = summary.get_by_role("heading").inner_text()
    links = summary.get_by_role("link")
    assert heading == f"Le formulaire contient {links.count()} erreurs"
    assert links.count() >= 4
    screenshot("92-cockpit-1280-formulaire-refuse")
    # A link takes the focus to its field, and the field shows its own error.
    first = links.first
    target = first.get_attribute("href")[1:]
    first.click()
    assert page.evaluate("() => document.activeElement.id") == target
    field_group = page.locator(f"#{target}").locator(
        "xpath=ancestor::*[contains(@class, '-group--error') or "
        "contains(@class, 'fr-fieldset--error')][1]"
    )
    label, message = first.inner_text().split(" : ", 1)
    assert label.strip() and message.strip()
    assert message.strip() in field_group.locator(".fr-error-text").inner_text()
