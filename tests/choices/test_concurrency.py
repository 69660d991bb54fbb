"""Two people at once, on PostgreSQL with two connections: the database serves them
one after the other. Two ARS agents establishing the same subdivision's call lists
both succeed, and each list exists once; a resident's contest sent twice at once is
filed once, the second refused in French."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from domains.choices.models import (
    ActivityLine,
    CallList,
    CallListContest,
    ChoiceSession,
)
from domains.choices.services import (
    activity_validate,
    call_list_contest_file,
    call_list_publish,
    call_lists_compute,
)
from domains.people.roles import Role
from tests.choices.test_call_lists import lists  # noqa: F401  (the fixture)
from tests.choices.test_sessions import (
    _open,
    _wish,
    world,  # noqa: F401  (the fixture)
)
from tests.factories.people import make_user_with_role
from tests.factories.referential import region

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two connections and row locks: PostgreSQL, as in production",
    ),
]


def _race(first, second) -> dict:
    """`first()` runs in a transaction held open until `second()` has had time to
    start in another connection; returns what each returned or raised."""
    inside, release, results = threading.Event(), threading.Event(), {}

    def run_first():
        try:
            with transaction.atomic():
                results["first"] = first()
                inside.set()
                release.wait(10)
        except Exception as error:  # noqa: BLE001  (the test reads it)
            results["first"] = error
        finally:
            inside.set()
            connection.close()

    def run_second():
        inside.wait(10)
        try:
            results["second"] = second()
        except Exception as error:  # noqa: BLE001
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    time.sleep(0.5)
    results["second_waited"] = "second" not in results
    release.set()
    for thread in threads:
        thread.join(20)
    return results


def test_two_agents_establishing_the_lists_at_once(lists):  # noqa: F811
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    colleague = make_user_with_role(Role.ARS, region=region("84"))

    def compute(by):
        return lambda: call_lists_compute(
            by=by, subdivision=lists["lyon"], semester=lists["semester"]
        )

    results = _race(compute(lists["ars"]), compute(colleague))
    assert results["second_waited"]
    assert (results["first"], results["second"]) == (1, 1)
    call_list = CallList.objects.get()
    assert call_list.entries.count() == 3


def test_one_contest_filed_twice_at_once(lists):  # noqa: F811
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    call_list = call_list_publish(by=lists["ars"], call_list=CallList.objects.get())
    user = lists["best"].person.user

    def contest():
        return call_list_contest_file(
            by=user, call_list=call_list, text="Mon stage d'été manque."
        )

    results = _race(contest, contest)
    assert results["second_waited"]
    assert isinstance(results["first"], CallListContest)
    assert isinstance(results["second"], ValidationError)
    assert "déjà une contestation en attente" in str(results["second"])
    assert CallListContest.objects.count() == 1


def test_two_residents_saving_their_wishes_at_once(world):  # noqa: F811
    """The second waits for the first; the simulation stored holds both wishes (not
    the first's alone, as a recompute reading before the other's commit would)."""
    _open(world)
    results = _race(
        lambda: _wish(world, "ada", [world["heh"]]),
        lambda: _wish(world, "bea", [world["heh"], world["sud"]]),
    )
    assert results["second_waited"]
    assert not isinstance(results["first"], Exception), results["first"]
    assert not isinstance(results["second"], Exception), results["second"]
    assert ChoiceSession.objects.get().simulation["assignments"] == {
        str(world["ada"].pk): world["heh"],
        str(world["bea"].pk): world["sud"],
    }
