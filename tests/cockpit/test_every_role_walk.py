"""Every demo role's day, walked like a newcomer: the home, every menu entry and every
link on those pages answer (no locked door, no dead link, no server error).

One seed of the small demo for the whole walk. Links that name a record are followed
a few per URL pattern (the first rows of a list are enough to find a door that
answers 403 to the person the list showed it to)."""

import io
import re
from collections import Counter
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import Resolver404, resolve

from domains.demo.accounts import DEMO_ACCOUNTS, demo_email
from domains.people.models import User
from domains.people.roles import Role
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="(/[^"#]*)"')
TILE = re.compile(
    r'<a href="([^"]+)">([^<]+)</a></h[34]>\s*<p class="siimop-card-[a-z]+"[^>]*>([^<]*)</p>'
)
COUNT = re.compile(r'id="result-count">\s*(\d+) résultat')
PER_PATTERN = 3
# Not pages: they sign out, switch a function or download what a test elsewhere reads.
SKIPPED = ("/compte/deconnexion", "/admin/", "/static/", "/media/", "/django-admin/")


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in HREF.findall(html)]


def _pattern(url: str) -> str:
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return url
    return f"{match.view_name}{'?' if '?' in url else ''}"


def walk(client) -> dict[str, int]:
    """Status of the home, each menu entry and each link on them (by pattern, a few)."""
    home = client.get("/cockpit/")
    assert home.status_code == 200
    seen: dict[str, int] = {"/cockpit/": 200}
    per_pattern: Counter = Counter()
    first = [u for u in _links(home.content.decode()) if u.startswith("/cockpit/")]
    queue = [(u, 1) for u in dict.fromkeys(first)]
    while queue:
        url, depth = queue.pop(0)
        if url in seen or url.startswith(SKIPPED):
            continue
        pattern = _pattern(url)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if (
            depth < 2
            and response.status_code == 200
            and "html" in response.get("Content-Type", "")
        ):
            for link in _links(response.content.decode()):
                if link not in seen:
                    queue.append((link, depth + 1))
    return seen


def tiles(client) -> list[tuple[str, str, str]]:
    """(title, value, link) of each tile of the home's dashboard."""
    html = client.get("/cockpit/").content.decode()
    return [
        (unescape(title), value.strip(), unescape(href))
        for href, title, value in TILE.findall(html)
    ]


def disagreements(client) -> list[str]:
    """Tiles whose figure is not the count of the list they open."""
    found = []
    for title, value, href in tiles(client):
        if not value.isdigit():
            continue
        page = client.get(href).content.decode()
        shown = COUNT.search(page)
        if shown and shown.group(1) != value:
            found.append(f"{title}: {value}, la liste en montre {shown.group(1)}")
    return found


def test_every_door_each_demo_role_is_shown_opens(client):
    """One seed, every role (a failure lists every locked door of every role), and
    every role's home: its tiles, each agreeing with the list it opens."""
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    if connection.vendor == "postgresql":
        # Plan on the demo's real statistics, as production does, not on those of
        # the tables the previous transactional tests emptied (0 rows in 5 pages).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client.raise_request_exception = False  # a 500 is a finding, listed with the rest
    locked, homes, wrong = {}, {}, {}
    for role in DEMO_ACCOUNTS:
        user = User.objects.get(email=demo_email(role))
        client.logout()
        login_verified(client, user)
        statuses = walk(client)
        doors = {url: status for url, status in statuses.items() if status >= 400}
        if doors:
            locked[role] = doors
        homes[role] = {title for title, _value, _href in tiles(client)}
        if disagreeing := disagreements(client):
            wrong[role] = disagreeing
    assert not locked, "\n".join(f"{role}: {doors}" for role, doors in locked.items())
    assert not wrong, wrong
    # Each role's home shows its own work.
    expected = {
        Role.RESIDENT: {"Stage en cours", "Mes demandes en cours", "Mes badges"},
        Role.SITE_SUPERVISOR: {"Postes à classer", "Agréments à renouveler"},
        Role.ARS: {"Décisions à signer", "Demandes d'agrément en retard"},
        Role.FACULTY_REGISTRY: {"Jurys à préparer", "Situations à décider"},
        Role.COORDINATOR: {"Avis à donner sur les demandes", "Jurys à venir"},
        Role.MEDICAL_AFFAIRS: {"Tableau de bord CH/CHU", "Agréments en vigueur"},
        Role.DGOS: {"Internes suivis", "Campagnes d'agrément publiées"},
        Role.SUPPORT_L1: {"Demandes d'assistance en retard"},
    }
    for role, titles in expected.items():
        assert titles <= homes[role], (role, homes[role])
    # …and not another's: a resident has no referential counters.
    assert "Établissements à corriger" not in homes[Role.RESIDENT]
    assert "Établissements à corriger" not in homes[Role.RESIDENT_REPRESENTATIVE]
