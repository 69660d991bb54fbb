"""Each demo role's home, in a real browser at 1280×800, as a newcomer opens it: a
"Tableau de bord" of tiles that are links, the first tile opens a page that answers,
and a tile's figure agrees with the list it opens (the list's "N résultats").

One seed of the small demo for every role (a failure lists every role's problems).
Screenshots: tests/e2e/screenshots/80-home-<role>.png (and the DAM's Tableau de bord
CH/CHU, the resident's Mon parcours and her special-situation request)."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from domains.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from domains.identity.second_factor import ROLES_REQUIRING_TOTP
from domains.people.models import User
from domains.people.roles import Role
from tests.conftest import login_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Roles whose home the lead left without a tile on purpose (none so far).
WITHOUT_TILES: frozenset[str] = frozenset()
ERROR_TITLES = ("Accès refusé", "Page non trouvée", "Erreur inattendue", "Erreur ")
ENGLISH = re.compile(r"\b(Page not found|Forbidden|Server Error|Not Found|Login)\b")


@pytest.fixture
def browser_context_args(browser_context_args):
    """A French person's browser on a laptop: it asks for French pages (the
    browser's own controls, date fields and file pickers, stay in English: Debian's
    chromium ships its en-US strings only unless chromium-l10n is installed)."""
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
    }


def _sign_in(page, live_server, role: str) -> None:
    """The sign-in page with the demo password; the roles that must also pass a
    second factor get the session of a client that passed it (as the walk does)."""
    page.context.clear_cookies()
    email = demo_email(role)
    if role in ROLES_REQUIRING_TOTP:
        client = Client()
        login_verified(client, User.objects.get(email=email))
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto(live_server.url + "/cockpit/")
    else:
        page.goto(live_server.url + "/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/cockpit/")


def _answers(response, page) -> str:
    """'' when the page opened answers in French, else what is wrong with it."""
    title = page.title()
    if response is not None and response.status >= 400:
        return f"HTTP {response.status} ({title})"
    if any(word in title for word in ERROR_TITLES) or not title.endswith("— SIIMOP"):
        return f"error page or no title: {title!r}"
    if ENGLISH.search(title):
        return f"English title: {title!r}"
    return ""


def _tiles(page) -> list[dict]:
    """Every tile of the home: its title, its value and where it leads."""
    return page.locator(".siimop-card").evaluate_all(
        """cards => cards.map(c => {
            const a = c.querySelector('.fr-tile__title a');
            const v = c.querySelector('[data-card]');
            const d = c.querySelector('.fr-tile__detail');
            return {title: c.querySelector('.fr-tile__title').innerText.trim(),
                    description: d ? d.innerText.trim() : '',
                    value: v ? v.innerText.trim() : '',
                    figure: !!(v && v.classList.contains('siimop-card-value')),
                    href: a ? a.getAttribute('href') : null};
        })"""
    )


def _count_shown(page) -> int | None:
    count = page.locator("#result-count")
    if count.count() == 0:
        return None
    return int(re.match(r"\d+", count.inner_text().replace("\u202f", "")).group())


def test_each_demo_role_home_opens_on_tiles_that_answer(live_server, page, screenshot):
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    problems: dict[str, list[str]] = {}
    for role in DEMO_ACCOUNTS:
        slug = role.lower().replace("_", "-")
        found = problems.setdefault(role, [])
        _sign_in(page, live_server, role)
        heading = page.get_by_role("heading", name="Tableau de bord", exact=True)
        tiles = _tiles(page)
        screenshot(f"80-home-{slug}")
        links = [t for t in tiles if t["href"]]
        if role in WITHOUT_TILES:
            if tiles:
                found.append(f"tiles on a home meant to have none: {tiles}")
            continue
        if heading.count() == 0 or not links:
            found.append(f"no 'Tableau de bord' with a tile that is a link: {tiles}")
            continue
        # The first tile, clicked as a person would.
        first = page.locator(".siimop-card .fr-tile__title a").first
        with page.expect_navigation() as navigation:
            first.click()
        if wrong := _answers(navigation.value, page):
            found.append(f"first tile {links[0]['title']!r}: {wrong}")
        # Every tile: it answers, and a figure is the count of the list it opens.
        for tile in links:
            response = page.goto(live_server.url + tile["href"])
            if wrong := _answers(response, page):
                found.append(f"tile {tile['title']!r} → {tile['href']}: {wrong}")
                continue
            shown = _count_shown(page)
            if tile["figure"] and shown is not None:
                # "389 places / sur 250 postes": the list counts the posts.
                out_of = re.match(r"sur (\d+)", tile["description"])
                value = int(
                    out_of.group(1) if out_of else re.sub(r"\D", "", tile["value"])
                )
                if value != shown:
                    found.append(
                        f"tile {tile['title']!r} says {tile['value']}, "
                        f"its list {tile['href']} shows {shown}"
                    )
        if role in (Role.MEDICAL_AFFAIRS, Role.ESTABLISHMENT_DIRECTOR):
            response = page.goto(
                live_server.url + "/cockpit/tableau-de-bord-etablissement/"
            )
            if wrong := _answers(response, page):
                found.append(f"Tableau de bord CH/CHU: {wrong}")
            elif role == Role.MEDICAL_AFFAIRS:
                screenshot("80-home-medical-affairs-tableau-de-bord-ch-chu")
        if role == Role.RESIDENT:
            response = page.goto(live_server.url + "/cockpit/mon-parcours/")
            if wrong := _answers(response, page):
                found.append(f"Mon parcours: {wrong}")
            else:
                screenshot("80-home-resident-mon-parcours")
                request = page.locator("#situations a").first
                if request.count() == 0:
                    found.append("Mon parcours lists no special-situation request")
                else:
                    with page.expect_navigation() as navigation:
                        request.click()
                    if wrong := _answers(navigation.value, page):
                        found.append(f"her special-situation request: {wrong}")
                    screenshot("80-home-resident-situation")
    problems = {role: found for role, found in problems.items() if found}
    assert not problems, "\n".join(
        f"{role}: " + "\n  ".join(found) for role, found in problems.items()
    )
