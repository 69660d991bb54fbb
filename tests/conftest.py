"""Shared fixtures.

Sample users (as Zulip's named users): `people` holds one named person per role, made on
first use, each through the factories so her permissions follow her function. The
inside users work in Lyon / Auvergne-Rhône-Alpes (`people.ars`, `people.coordinator`:
DES-MCA in Lyon, `people.site_supervisor`: RTS of `people.site`, a Lyon site accredited
for DES-MCA, `people.medical_affairs`: DAM of its establishment…); every role with a
perimeter has an outside counterpart in Rennes / Bretagne, named `<role>_elsewhere`
(`people.ars_elsewhere`, RTS of `people.site_elsewhere`…). National roles (`dgos`,
`uness_admin`, `support_l2`) have none. Names are the `Role` values, so
`people.get(Role.COORDINATOR)` works in a parametrised test.

Convention: each sample also has a plain fixture of the same name (`coordinator`,
`ars_elsewhere`, `resident`…) that returns the Django user NOT signed in: sign her in
with `client.force_login(user)`, or `login_verified(client, user)` for the roles that
need a second factor (DGOS, UNESS admins). The one exception is `ars`, which also signs
in with `client` (many tests rely on it). `resident` is a resident of Lyon with her
Resident record (`resident.person.resident`); `superuser` is the UNESS admin made the
technical admin (Django superuser). Build users inline only when the test
needs a perimeter of its own (its own site, a second agent of the same region…).

`--today=YYYY-MM-DD` runs the whole session as if that day had come (the clock ticks
from 10:00, Paris time): a test that fails with it depends on today's date and must
freeze the clock (time-machine) or compute its dates from today.
"""

import html
import os
import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Sync Playwright runs an event loop in the test thread; the ORM is used from it safely.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        help="run the session as if today were this day (finds tests that rot)",
    )


def pytest_configure(config):
    today = config.getoption("--today")
    if not today:
        return
    moment = datetime.combine(
        date.fromisoformat(today), time(10), tzinfo=ZoneInfo("Europe/Paris")
    )
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def client_fr(client):
    """A test client whose browser speaks English: the platform must answer in French."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    return client


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup, django_db_blocker) -> str:
    """A serialised copy of the freshly migrated test database (as Django's
    serialized_rollback makes, which does not survive Playwright's event loop)."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test cached (the footer's links)
    described a database the next test does not have."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """What migrations load (catalogues, Wagtail home page, DSFR settings), for every
    database test.

    Browser tests commit their data, so the database is emptied after each of them,
    migrated data included: the next database test restores it from the serialised copy.
    """
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    contents = request.getfixturevalue("_serialized_database")
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from domains.referential.models import Phase

    if not Phase.objects.exists():
        assert contents, "no serialised copy of the test database to restore from"
        # The flush after a browser test re-created content types and permissions:
        # empty the base again so the copy comes back with its own ids.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(contents)
        # Rows came back with their ids: move PostgreSQL's sequences past them.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    yield


def page_text(response) -> str:
    """The page as a person reads it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


# name: (civility, first name, last name, the domain of her e-mail address). Names
# ending in "_elsewhere" work in Rennes / Bretagne, the others in Lyon /
# Auvergne-Rhône-Alpes (or nationally); the perimeter follows from the role.
# fmt: off
SAMPLE_USERS: dict[str, tuple[str, str, str, str]] = {
    "dgos": ("M", "Marc", "Lefèvre", "sante.gouv.fr"),
    "uness_admin": ("MME", "Aurélie", "Mercier", "uness.fr"),
    "support_l2": ("M", "Karim", "Meunier", "uness.fr"),
    "ars": ("MME", "Claire", "Dubois", "ars.sante.fr"),
    "ars_elsewhere": ("M", "Yann", "Le Meur", "ars.sante.fr"),
    "faculty_registry": ("MME", "Sophie", "Girard", "univ-lyon1.fr"),
    "faculty_registry_elsewhere": ("MME", "Gwenaëlle", "Le Bihan", "univ-rennes.fr"),
    "support_l1": ("MME", "Élodie", "Chevalier", "uness.fr"),
    "support_l1_elsewhere": ("M", "Erwan", "Kerjean", "uness.fr"),
    "resident_representative": ("M", "Hugo", "Brunet", "etu.univ-lyon1.fr"),
    "resident_representative_elsewhere": ("MME", "Nolwenn", "Guillou", "etu.univ-rennes.fr"),
    "coordinator": ("M", "Antoine", "Morel", "chu-lyon.fr"),
    "coordinator_elsewhere": ("M", "Loïc", "Le Roux", "chu-rennes.fr"),
    "site_supervisor": ("MME", "Isabelle", "Vidal", "chu-lyon.fr"),
    "site_supervisor_elsewhere": ("M", "Ronan", "Cariou", "chu-rennes.fr"),
    "practitioner": ("M", "Julien", "Fontaine", "chu-lyon.fr"),
    "practitioner_elsewhere": ("MME", "Anne", "Le Floch", "chu-rennes.fr"),
    "site_assistant": ("MME", "Sandrine", "Blanc", "chu-lyon.fr"),
    "site_assistant_elsewhere": ("MME", "Morgane", "Le Du", "chu-rennes.fr"),
    "medical_affairs": ("MME", "Nathalie", "Caron", "chu-lyon.fr"),
    "medical_affairs_elsewhere": ("M", "Gaël", "Tanguy", "chu-rennes.fr"),
    "establishment_director": ("M", "Philippe", "Rousseau", "chu-lyon.fr"),
    "establishment_director_elsewhere": ("MME", "Katell", "Riou", "chu-rennes.fr"),
    "resident": ("MME", "Camille", "Baron", "etu.univ-lyon1.fr"),
    "resident_elsewhere": ("MME", "Maëlle", "Le Goff", "etu.univ-rennes.fr"),
}
# fmt: on


def sample_email(name: str) -> str:
    """The address of a sample user: prenom.nom@domain, without accents or spaces."""
    _civility, first_name, last_name, domain = SAMPLE_USERS[name]
    plain = unicodedata.normalize("NFKD", f"{first_name}.{last_name}")
    local = "".join(c for c in plain if c.isalnum() or c == ".").lower()
    return f"{local}@{domain}"


class People:
    """The named sample users of one test, each made on first use (see the top)."""

    # Where the inside and the outside samples work.
    _places = {
        False: ("LYON", "84", "69", "Hôpital Louis-Pradel (HCL)", "Lyon"),
        True: ("RENNES", "53", "35", "CHU de Rennes – Pontchaillou", "Rennes"),
    }

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in SAMPLE_USERS:
            raise AttributeError(f"no sample user {name!r} (see tests/conftest.py)")
        user = self._make(name)
        setattr(self, name, user)
        return user

    def get(self, role: str, *, elsewhere: bool = False):
        """The sample of this role (the Rennes / Bretagne one if `elsewhere`)."""
        return getattr(self, f"{role}_elsewhere" if elsewhere else str(role))

    @property
    def site(self):
        """The Lyon training site (accredited for DES-MCA) of the inside RTS and MSU."""
        return self._site(elsewhere=False)

    @property
    def site_elsewhere(self):
        """The Rennes training site of the outside RTS and MSU."""
        return self._site(elsewhere=True)

    def _site(self, *, elsewhere: bool):
        key = f"_site_{elsewhere}"
        if key not in self.__dict__:
            from tests.factories.referential import (
                EstablishmentFactory,
                region,
                valid_finess,
            )
            from tests.factories.residents import accredited_site

            code, region_code, department, hospital, city = self._places[elsewhere]
            establishment = EstablishmentFactory(
                name=hospital,
                city=city,
                region=region(region_code),
                finess=valid_finess(department),
            )
            self.__dict__[key] = accredited_site(
                subdivision_code=code,
                establishment=establishment,
                name=f"Médecine cardiovasculaire – {city}",
                department="Cardiologie",
            )
        return self.__dict__[key]

    def _make(self, name: str):
        from domains.people.permissions import SYSTEM
        from domains.people.roles import ROLE_PERIMETER, PerimeterKind, Role
        from domains.people.services import function_grant, person_create
        from tests.factories.people import PASSWORD
        from tests.factories.referential import region, specialty, subdivision
        from tests.factories.residents import make_resident

        civility, first_name, last_name, _domain = SAMPLE_USERS[name]
        elsewhere = name.endswith("_elsewhere")
        role = Role(name.removesuffix("_elsewhere"))
        code, region_code, *_ = self._places[elsewhere]
        kind = ROLE_PERIMETER[role]
        if kind == PerimeterKind.SELF:
            resident = make_resident(
                subdivision_code=code,
                first_name=first_name,
                last_name=last_name,
                email=sample_email(name),
            )
            return resident.person.user
        perimeter = {
            PerimeterKind.NATIONAL: lambda: {},
            PerimeterKind.REGION: lambda: {"region": region(region_code)},
            PerimeterKind.SUBDIVISION: lambda: {"subdivision": subdivision(code)},
            PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda: {
                "subdivision": subdivision(code),
                "specialty": specialty("DES-MCA"),
            },
            PerimeterKind.ESTABLISHMENT: lambda: {
                "establishment": self._site(elsewhere=elsewhere).establishment
            },
            PerimeterKind.TRAINING_SITE: lambda: {
                "training_site": self._site(elsewhere=elsewhere)
            },
        }[kind]()
        person = person_create(
            civility=civility,
            first_name=first_name,
            last_name=last_name,
            email=sample_email(name),
            email_verified=True,
            password=PASSWORD,
            by=SYSTEM,
        )
        function_grant(
            person=person,
            role=role,
            start_date=date(2024, 9, 1),
            by=SYSTEM,
            **perimeter,
        )
        return person.user


@pytest.fixture
def people() -> People:
    """The named sample users, one per role (see the top of this file)."""
    return People()


def _sample_fixture(name: str):
    def sample(people):
        return getattr(people, name)

    sample.__doc__ = f"The sample user {name!r} (not signed in; see tests/conftest.py)."
    return pytest.fixture(name=name)(sample)


# One plain fixture per sample user, named after it; `ars` below also signs in.
for _name in SAMPLE_USERS:
    if _name != "ars":
        globals()[f"_sample_{_name}"] = _sample_fixture(_name)


@pytest.fixture
def ars(client, people):
    """Claire Dubois, ARS agent of Auvergne-Rhône-Alpes, signed in."""
    client.force_login(people.ars)
    return people.ars


@pytest.fixture
def superuser(uness_admin):
    """The UNESS admin, also the technical admin (Django superuser); not signed in."""
    uness_admin.is_superuser = uness_admin.is_staff = True
    uness_admin.save()
    return uness_admin


def login_verified(client, user) -> None:
    """Sign in as someone who also passed her second factor (TOTP)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["siimop_totp_enabled"] = True
    session.save()
