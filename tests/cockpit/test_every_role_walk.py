"""Every demo role's day, walked like a newcomer: the home, every menu entry and every
link on those pages answer (no locked door, no dead link, no server error).

One seed of the small demo for the whole walk. Links that name a record are followed
a few per URL pattern (the first rows of a list are enough to find a door that
answers 403 to the person the list showed it to)."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from domains.demo.accounts import DEMO_ACCOUNTS, demo_email
from domains.people.models import User
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db
HREF = re.compile(r'href="(/[^"#]*)"')
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


def test_every_door_each_demo_role_is_shown_opens(client):
    """One seed, every role (a failure lists every locked door of every role)."""
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    client.raise_request_exception = False  # a 500 is a finding, listed with the rest
    locked = {}
    for role in DEMO_ACCOUNTS:
        user = User.objects.get(email=demo_email(role))
        client.logout()
        login_verified(client, user)
        statuses = walk(client)
        doors = {url: status for url, status in statuses.items() if status >= 400}
        if doors:
            locked[role] = doors
    assert not locked, "\n".join(f"{role}: {doors}" for role, doors in locked.items())
