"""People for tests, created through the services so permissions follow functions.

The test's set-up is the platform acting (`SYSTEM`): what it arranges is no one's
decision under test.
"""

import itertools
from datetime import date

from domains.people.models import Person
from domains.people.permissions import SYSTEM
from domains.people.services import function_grant, person_create

PASSWORD = "Mot-de-passe-de-test-2026"
_counter = itertools.count(1)


def make_person(
    *,
    email: str | None = None,
    first_name: str = "Alice",
    last_name: str = "Martin",
    password: str | None = PASSWORD,
    **extra,
) -> Person:
    n = next(_counter)
    extra.setdefault("by", SYSTEM)
    return person_create(
        civility="MME",
        first_name=first_name,
        last_name=f"{last_name}{n}" if last_name == "Martin" else last_name,
        email=email or f"personne{n}@exemple.fr",
        email_verified=True,
        password=password,
        **extra,
    )


def make_user_with_role(role: str, start_date: date = date(2024, 9, 1), **perimeter):
    """A user holding one active function; returns the Django user."""
    person = make_person()
    function_grant(
        person=person, role=role, start_date=start_date, by=SYSTEM, **perimeter
    )
    return person.user
