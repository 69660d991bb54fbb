"""The wishes before the amphi, in a real browser at 1280×800, each person on her own
screen (issue 21):

1. the ARS of Auvergne-Rhône-Alpes opens the wishes of a frozen call list from its
   page, with the date until which they may change, and follows the link to the amphi;
2. Bea, called second, finds « Mes vœux » in her menu, ranks HEH then Lyon Sud and
   reads that she would get HEH;
3. Ada, called first, ranks HEH only (its one seat);
4. Bea reloads: HEH is taken before her turn by rank 1 (never by a name), she would
   get Lyon Sud; she estimates her chances (0 % for HEH) and moves Lyon Sud up;
5. the ARS reloads the amphi: each resident's simulated post, Cy without a wish and
   without a post; she closes the wishes (the browser asks first) and Bea's page says
   they are closed, with nothing left to change.

The world is the one of tests/choices/test_sessions.py, built with the factories:
three ranked residents of Lyon in DES-MCA, socle (Ada 10, Bea 20, Cy 30), two
accredited sites with posts for the coming semester (HEH 1 seat, Lyon Sud 2 seats),
the call list computed, published and frozen for the choice, the post opening
published.
Screenshots: tests/e2e/screenshots/91-wishes-*.png."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from domains.choices.models import (
    ChoiceSession,
    SessionStatus,
    WishList,
)
from domains.people.roles import Role
from domains.residents.models import Resident
from tests.choices.test_sessions import build_world
from tests.e2e.conftest import CSP_RECORDER, SCREENSHOTS
from tests.factories.people import PASSWORD, make_person
from tests.factories.referential import region, subdivision
from tests.factories.residents import make_resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ENGLISH = re.compile(
    r"\b(This field is required|Enter a valid|Select a valid|Page not found|"
    r"Forbidden|Server Error|Not Found|Submit|Cancel|Delete|Save|Move up|"
    r"Move down|Remove)\b"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
    }


def _ranked(first_name: str, last_name: str, rank: int) -> Resident:
    resident = make_resident(
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name.lower()}.{last_name.lower()}@etu.univ-lyon1.fr",
        start=("winter", 2026),
    )
    Resident.objects.filter(pk=resident.pk).update(national_rank=rank)
    return resident


def _staff(role: str, email: str, first_name: str, last_name: str, **perimeter):
    from datetime import date

    from domains.people.permissions import SYSTEM
    from domains.people.services import function_grant

    person = make_person(email=email, first_name=first_name, last_name=last_name)
    function_grant(
        person=person, role=role, start_date=date(2024, 9, 1), by=SYSTEM, **perimeter
    )
    return person


@pytest.fixture
def world():
    # Call-list order: Ada (rank 10), Bea (20), Cy (30).
    residents = {
        "ada": _ranked("Ada", "Alpha", 10),
        "bea": _ranked("Bea", "Beta", 20),
        "cy": _ranked("Cy", "Gamma", 30),
    }
    registry = _staff(
        Role.FACULTY_REGISTRY,
        "sophie.girard@univ-lyon1.fr",
        "Sophie",
        "Girard",
        subdivision=subdivision("LYON"),
    )
    ars = _staff(
        Role.ARS, "claire.dubois@ars.sante.fr", "Claire", "Dubois", region=region("84")
    )
    # The people sign in with their password: the world's "ars" is her person.
    return build_world(residents=residents, registry=registry.user, ars=ars.user) | {
        "ars": ars
    }


class Screen:
    """One person's browser: her page, the dialogs it accepted, the CSP refusals its
    pages reported, her screenshots."""

    def __init__(self, page, url: str):
        self.page, self.url = page, url
        self.dialogs: list[str] = []
        self.csp: list[str] = []

        def accept(dialog):
            self.dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)

    def watch_csp(self) -> None:
        """For a context of our own (the `context` fixture's is watched by conftest)."""
        context = self.page.context
        context.expose_binding(
            "__siimopCspViolation", lambda source, text: self.csp.append(text)
        )
        context.add_init_script(CSP_RECORDER)

    def sign_in(self, email: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto(self.url + "/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(self.url + "/cockpit/")

    def go(self, path: str) -> None:
        response = self.page.goto(self.url + path)
        assert response.status == 200, f"{path}: HTTP {response.status}"

    def reload(self) -> None:
        response = self.page.reload()
        assert response.status == 200, f"{self.page.url}: HTTP {response.status}"

    def shot(self, name: str) -> None:
        """A full-page screenshot, and the page in French (no English, no error)."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"91-wishes-{name}.png"),
            full_page=True,
            caret="initial",
        )
        text = self.page.locator("main").inner_text()
        assert not ENGLISH.search(text), f"{name}: English on the page: {text[:500]}"
        assert self.page.title().endswith("— SIIMOP"), self.page.title()

    def click(self, name: str, **kwargs) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name, **kwargs).click()

    def add_wish(self, site: str) -> None:
        """Choose a post in « Poste à ajouter à mes vœux » by its site, then add it."""
        select = self.page.get_by_label("Poste à ajouter à mes vœux")
        option = select.locator("option", has_text=site)
        expect(option).to_have_count(1)
        select.select_option(label=option.inner_text().strip())
        self.click("Ajouter en dernier")
        expect(self.page.locator("main")).to_contain_text(
            "Vœu ajouté en dernier : remontez-le si vous le préférez."
        )


def test_the_ars_opens_the_wishes_residents_rank_and_the_ars_closes_them(
    live_server, page, new_context, world
):
    mail.outbox.clear()
    ars = Screen(page, live_server.url)
    bea = Screen(new_context().new_page(), live_server.url)
    ada = Screen(new_context().new_page(), live_server.url)
    for screen in (bea, ada):
        screen.watch_csp()
    call_list = world["call_list"]

    # 1. The ARS opens the wishes from the call list's page. ------------------------
    ars.sign_in(world["ars"].primary_email)
    ars.go(call_list.get_absolute_url())
    opening = page.locator("section[aria-labelledby=open-session-title]")
    expect(opening).to_contain_text("Ouvrir la saisie des vœux")
    until = (timezone.localtime() + timedelta(days=7)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    opening.get_by_label("Vœux modifiables jusqu'au").fill(
        until.strftime("%Y-%m-%dT%H:%M")
    )
    ars.shot("01-ars-call-list-open-wishes")
    with page.expect_navigation():
        opening.get_by_role("button", name="Ouvrir la saisie des vœux").click()
    expect(page.locator("main")).to_contain_text(
        "saisie des vœux ouverte, chaque interne est prévenu"
    )
    session = ChoiceSession.objects.get()
    assert session.status == SessionStatus.WISHES
    assert timezone.localtime(session.wishes_until) == until
    # Each of the three residents is told, with the link to her page.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        world[w].person.primary_email for w in ("ada", "bea", "cy")
    )
    assert all("/cockpit/mes-voeux/" in m.body for m in mail.outbox)
    # The opening form is gone; the call list links to its amphi.
    expect(page.get_by_role("button", name="Ouvrir la saisie des vœux")).to_have_count(
        0
    )
    ars.shot("02-ars-call-list-wishes-opened")
    with page.expect_navigation():
        page.locator("#session-title + p").get_by_role("link").click()
    assert page.url == live_server.url + session.get_absolute_url()
    expect(page.locator("#simulation tbody tr")).to_have_count(3)
    expect(page.locator("#silent-count")).to_contain_text("3 sans aucun vœu")
    ars.shot("03-ars-amphi-empty")

    # 2. Bea, called second, ranks HEH then Lyon Sud from « Mes vœux ». --------------
    bea.sign_in(world["bea"].person.primary_email)
    nav = bea.page.locator("#fr-navigation")
    nav.get_by_role("button", name=re.compile("mes informations", re.I)).click()
    with bea.page.expect_navigation():
        nav.get_by_role("link", name="Mes vœux (amphi de choix)").click()
    assert bea.page.url == live_server.url + "/cockpit/mes-voeux/"
    mine = bea.page.locator("main")
    expect(mine).to_contain_text("Votre rang d'appel : 2.")
    expect(mine).to_contain_text("Vous n'avez classé aucun poste.")
    expect(mine).to_contain_text("2 postes offerts dans cet amphi")
    bea.shot("10-bea-no-wish")
    bea.add_wish("Cardiologie HEH")
    bea.add_wish("Cardiologie Lyon Sud")
    wishes = bea.page.locator("#wishes tbody tr")
    expect(wishes).to_have_count(2)
    expect(wishes.nth(0)).to_contain_text("Cardiologie HEH")
    expect(wishes.nth(1)).to_contain_text("Cardiologie Lyon Sud")
    expect(bea.page.locator("#simulated-post")).to_contain_text(
        "Vous obtiendriez « Cardiologie HEH"
    )
    expect(bea.page.locator("#simulated-post")).to_contain_text("(votre vœu n° 1)")
    expect(wishes.nth(0)).to_contain_text("Vous l'obtiendriez")
    expect(wishes.nth(1)).to_contain_text("Après votre poste simulé")
    # Both posts are ranked: nothing left to add, no form to add it.
    expect(bea.page.get_by_label("Poste à ajouter à mes vœux")).to_have_count(0)
    bea.shot("11-bea-two-wishes")

    # 3. Ada, called first, ranks HEH only. -------------------------------------------
    ada.sign_in(world["ada"].person.primary_email)
    ada.go("/cockpit/mes-voeux/")
    expect(ada.page.locator("main")).to_contain_text("Votre rang d'appel : 1.")
    ada.add_wish("Cardiologie HEH")
    expect(ada.page.locator("#simulated-post")).to_contain_text(
        "Vous obtiendriez « Cardiologie HEH"
    )
    ada.shot("20-ada-heh")

    # 4. Bea reloads: HEH goes to rank 1, she would get Lyon Sud. --------------------
    bea.reload()
    expect(bea.page.locator("#simulated-post")).to_contain_text(
        "Vous obtiendriez « Cardiologie Lyon Sud"
    )
    expect(bea.page.locator("#simulated-post")).to_contain_text("(votre vœu n° 2)")
    expect(wishes.nth(0)).to_contain_text(
        "Pris avant votre tour par l'interne de rang 1 (1 place)"
    )
    expect(wishes.nth(0)).to_contain_text(
        "1 interne mieux classée le demande en premier"
    )
    expect(wishes.nth(1)).to_contain_text("Vous l'obtiendriez")
    # Never the name of who takes it.
    for name in ("Ada", "ALPHA", "Alpha"):
        expect(mine).not_to_contain_text(name)
    bea.shot("30-bea-heh-taken")

    bea.click("Estimer mes chances")
    expect(mine).to_contain_text("Estimation recalculée sur 1 000 tirages.")
    expect(bea.page.locator("#forecast-at")).to_contain_text("Dernière estimation")
    # HEH's one seat goes to Ada in every draw; Lyon Sud is always free at her turn.
    expect(wishes.nth(0).locator("td").nth(3)).to_have_text("0 % / 0 %")
    expect(wishes.nth(1).locator("td").nth(3)).to_have_text("100 % / 100 %")
    expect(
        bea.page.get_by_role("button", name="Actualiser l'estimation")
    ).to_be_visible()
    bea.shot("31-bea-forecast")

    with bea.page.expect_navigation():
        wishes.nth(1).get_by_role("button", name="Monter").click()
    expect(mine).to_contain_text("Vœu remonté d'un cran.")
    expect(wishes.nth(0)).to_contain_text("Cardiologie Lyon Sud")
    expect(wishes.nth(1)).to_contain_text("Cardiologie HEH")
    expect(bea.page.locator("#simulated-post")).to_contain_text("(votre vœu n° 1)")
    # A new order makes the old estimate stale: it is asked again.
    expect(mine).not_to_contain_text("Dernière estimation")
    expect(bea.page.get_by_role("button", name="Estimer mes chances")).to_be_visible()
    assert WishList.objects.get(resident=world["bea"]).posts == [
        world["sud"],
        world["heh"],
    ]
    bea.shot("32-bea-moved-up")

    # 5. The ARS reloads the amphi: the whole simulation, then closes the wishes. -----
    ars.reload()
    rows = page.locator("#simulation tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Ada ALPHA")
    expect(rows.nth(0)).to_contain_text("Cardiologie HEH")
    expect(rows.nth(1)).to_contain_text("Bea BETA")
    expect(rows.nth(1)).to_contain_text("Cardiologie Lyon Sud")
    expect(rows.nth(2)).to_contain_text("Cy GAMMA")
    expect(rows.nth(2)).to_contain_text("aucun poste")
    expect(page.locator("#silent-count")).to_contain_text("1 sans aucun vœu")
    expect(page.locator("#without-title")).to_contain_text(
        "1 interne sans poste dans la simulation"
    )
    expect(page.locator("#without-post")).to_contain_text(
        "rang 3 — Cy GAMMA (aucun vœu saisi)"
    )
    expect(page.locator("#unwanted-title")).to_have_text(
        "Postes que personne ne demande"
    )
    # Lyon Sud's second seat is still free: the ARS reads it.
    lyon_sud = page.locator("#seats tbody tr", has_text="Lyon Sud").locator("td")
    expect(lyon_sud.nth(1)).to_have_text("2")  # seats
    expect(lyon_sud.nth(3)).to_have_text("1")  # left
    ars.shot("40-ars-amphi-simulation")

    ars.click("Clore la saisie des vœux")
    assert ars.dialogs and ars.dialogs[-1].startswith("Clore la saisie des vœux ?")
    expect(page.locator("main")).to_contain_text("saisie des vœux close")
    assert ChoiceSession.objects.get().status == SessionStatus.WISHES_CLOSED
    expect(
        page.get_by_role("button", name="Rouvrir la saisie des vœux")
    ).to_be_visible()
    ars.shot("41-ars-wishes-closed")

    bea.reload()
    expect(mine).to_contain_text("La saisie des vœux est close")
    expect(bea.page.get_by_label("Poste à ajouter à mes vœux")).to_have_count(0)
    expect(bea.page.get_by_role("button", name="Ajouter en dernier")).to_have_count(0)
    expect(bea.page.get_by_role("button", name="Monter")).to_have_count(0)
    expect(wishes.nth(0)).to_contain_text("Cardiologie Lyon Sud")
    bea.shot("42-bea-wishes-closed")

    for screen in (bea, ada):
        screen.page.wait_for_timeout(100)
        assert not screen.csp, "Content-Security-Policy violations:\n" + "\n".join(
            screen.csp
        )
