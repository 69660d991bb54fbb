import html
import os

import pytest

# Sync Playwright runs an event loop in the test thread; the ORM is used from it safely.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


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


@pytest.fixture
def ars(client):
    """An ARS agent of Auvergne-Rhône-Alpes, signed in."""
    from domains.people.roles import Role
    from tests.factories.people import make_user_with_role
    from tests.factories.referential import region

    user = make_user_with_role(Role.ARS, region=region("84"))
    client.force_login(user)
    return user


def login_verified(client, user) -> None:
    """Sign in as someone who also passed her second factor (TOTP)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session["siimop_totp_enabled"] = True
    session.save()
