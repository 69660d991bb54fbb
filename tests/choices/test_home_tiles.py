"""The semester cycle on the homes: the coordinator reads her DES's residents who
choose and the declarations still pending, and, like the registry and the ARS, how
many DES and phases of her perimeter are short of posts under the 107 % rule; the
ARS reads the call lists still in preparation. Each figure is the count of the page
it opens."""

import pytest

from domains.choices.models import ActivityLine
from domains.choices.services import activity_validate, call_lists_compute
from domains.people.roles import Role
from tests.choices.test_call_lists import lists  # noqa: F401  (the fixture)
from tests.cockpit.test_every_role_walk import disagreements, tiles
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import specialty

pytestmark = pytest.mark.django_db


def _values(client) -> dict[str, str]:
    return {title.split(" — ")[0]: value for title, value, _link in tiles(client)}


def test_the_coordinator_reads_her_des_next_semester(client, lists):  # noqa: F811
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=lists["lyon"], specialty=specialty("DES-MCA")
    )
    login_verified(client, coordinator)
    values = _values(client)
    assert values["Internes de mon DES qui choisissent"] == "3"
    assert values["Déclarations en attente"] == "3"
    # Three residents choose in the socle and no post is open: one line short.
    assert values["Règle des 107 %"] == "1"
    assert disagreements(client) == []
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    assert _values(client)["Déclarations en attente"] == "0"
    # A coordinator of another DES counts none of these residents.
    client.logout()
    login_verified(
        client,
        make_user_with_role(
            Role.COORDINATOR, subdivision=lists["lyon"], specialty=specialty("DES-PSY")
        ),
    )
    assert _values(client)["Internes de mon DES qui choisissent"] == "0"


def test_the_ars_reads_its_call_lists_in_preparation(client, lists):  # noqa: F811
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    login_verified(client, lists["ars"])
    values = _values(client)
    assert values["Listes d'appel en préparation"] == "1"
    assert values["Règle des 107 %"] == "1"
    assert disagreements(client) == []
