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
Resident record (`resident.person.resident`). Build users inline only when the test
needs a perimeter of its own (its own site, a second agent of the same region…).

`--today=YYYY-MM-DD` runs the whole session as if that day had come (the clock ticks
from 10:00, Paris time): a test that fails with it depends on today's date and must
freeze the clock (time-machine) or compute its dates from today.
"""

import html
import os
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


# name: (civility, first name, last name, e-mail, perimeter); "elsewhere" names work in
# Rennes / Bretagne, the others in Lyon / Auvergne-Rhône-Alpes (or nationally).
SAMPLE_USERS: dict[str, tuple[str, str, str, str, str]] = {
    "dgos": ("M", "Marc", "Lefèvre", "marc.lefevre@sante.gouv.fr", "national"),
    "uness_admin": (
        "MME",
        "Aurélie",
        "Garnier",
        "aurelie.garnier@uness.fr",
        "national",
    ),
    "support_l2": ("M", "Karim", "Benali", "karim.benali@uness.fr", "national"),
    "ars": ("MME", "Claire", "Dubois", "claire.dubois@ars.sante.fr", "region"),
    "ars_elsewhere": ("M", "Yann", "Le Gall", "yann.legall@ars.sante.fr", "region"),
    "faculty_registry": (
        "MME",
        "Sophie",
        "Girard",
        "sophie.girard@univ-lyon1.fr",
        "subdivision",
    ),
    "faculty_registry_elsewhere": (
        "MME",
        "Gwenaëlle",
        "Le Bihan",
        "gwenaelle.lebihan@univ-rennes.fr",
        "subdivision",
    ),
    "support_l1": (
        "MME",
        "Élodie",
        "Chevalier",
        "elodie.chevalier@uness.fr",
        "subdivision",
    ),
    "support_l1_elsewhere": (
        "M",
        "Erwan",
        "Kerjean",
        "erwan.kerjean@uness.fr",
        "subdivision",
    ),
    "resident_representative": (
        "M",
        "Hugo",
        "Fabre",
        "hugo.fabre@etu.univ-lyon1.fr",
        "subdivision",
    ),
    "resident_representative_elsewhere": (
        "MME",
        "Nolwenn",
        "Guillou",
        "nolwenn.guillou@etu.univ-rennes.fr",
        "subdivision",
    ),
    "coordinator": ("M", "Antoine", "Morel", "antoine.morel@chu-lyon.fr", "specialty"),
    "coordinator_elsewhere": (
        "M",
        "Loïc",
        "Le Roux",
        "loic.leroux@chu-rennes.fr",
        "specialty",
    ),
    "site_supervisor": ("MME", "Isabelle", "Roux", "isabelle.roux@chu-lyon.fr", "site"),
    "site_supervisor_elsewhere": (
        "M",
        "Ronan",
        "Cariou",
        "ronan.cariou@chu-rennes.fr",
        "site",
    ),
    "practitioner": ("M", "Julien", "Fontaine", "julien.fontaine@chu-lyon.fr", "site"),
    "practitioner_elsewhere": (
        "MME",
        "Anne",
        "Le Floch",
        "anne.lefloch@chu-rennes.fr",
        "site",
    ),
    "site_assistant": (
        "MME",
        "Sandrine",
        "Blanc",
        "sandrine.blanc@chu-lyon.fr",
        "site",
    ),
    "site_assistant_elsewhere": (
        "MME",
        "Morgane",
        "Le Du",
        "morgane.ledu@chu-rennes.fr",
        "site",
    ),
    "medical_affairs": (
        "MME",
        "Nathalie",
        "Lambert",
        "nathalie.lambert@chu-lyon.fr",
        "establishment",
    ),
    "medical_affairs_elsewhere": (
        "M",
        "Gaël",
        "Tanguy",
        "gael.tanguy@chu-rennes.fr",
        "establishment",
    ),
    "establishment_director": (
        "M",
        "Philippe",
        "Rousseau",
        "philippe.rousseau@chu-lyon.fr",
        "establishment",
    ),
    "establishment_director_elsewhere": (
        "MME",
        "Katell",
        "Riou",
        "katell.riou@chu-rennes.fr",
        "establishment",
    ),
    "resident": (
        "MME",
        "Camille",
        "Perrin",
        "camille.perrin@etu.univ-lyon1.fr",
        "self",
    ),
    "resident_elsewhere": (
        "MME",
        "Maëlle",
        "Le Goff",
        "maelle.legoff@etu.univ-rennes.fr",
        "self",
    ),
}


class People:
    """The named sample users of one test, each made on first use (see the top)."""

    # Where the inside and the outside samples work.
    _places = {
        False: ("LYON", "84", "69", "Hôpital de la Croix-Rousse (HCL)", "Lyon"),
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
        try:
            from domains.people.permissions import SYSTEM as by
        except ImportError:  # services from before `by` was required: None is allowed
            by = None
        from domains.people.roles import Role
        from domains.people.services import function_grant, person_create
        from tests.factories.people import PASSWORD
        from tests.factories.referential import region, specialty, subdivision
        from tests.factories.residents import make_resident

        civility, first_name, last_name, email, kind = SAMPLE_USERS[name]
        elsewhere = name.endswith("_elsewhere")
        role = name.removesuffix("_elsewhere")
        code, region_code, *_ = self._places[elsewhere]
        if kind == "self":
            resident = make_resident(
                subdivision_code=code,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
            return resident.person.user
        perimeter = {
            "national": {},
            "region": {"region": region(region_code)},
            "subdivision": {"subdivision": subdivision(code)},
            "specialty": {"subdivision": subdivision(code), "specialty": specialty()},
            "establishment": {
                "establishment": self._site(elsewhere=elsewhere).establishment
            },
            "site": {"training_site": self._site(elsewhere=elsewhere)},
        }[kind]
        person = person_create(
            civility=civility,
            first_name=first_name,
            last_name=last_name,
            email=email,
            email_verified=True,
            password=PASSWORD,
            by=by,
        )
        function_grant(
            person=person,
            role=Role(role),
            start_date=date(2024, 9, 1),
            by=by,
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


def login_verified(client, user) -> None:
    """Sign in as someone who also passed her second factor (TOTP)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["siimop_totp_enabled"] = True
    session.save()
