"""The registry sets the day by which its residents declare; a week before and the
day before, each resident whose line waits for her confirmation is reminded (once);
after the day, she can no longer change it herself."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from domains.choices.models import ActivityLine, ActivityStatus
from domains.choices.tasks import send_declaration_reminders
from tests.choices.test_semester_activity import world  # noqa: F401  (the fixture)
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db
SUMMARY = "/cockpit/activite-semestrielle/synthese/"


def _prefill(client, world):  # noqa: F811
    login_verified(client, world["registry"])
    client.post("/cockpit/activite-semestrielle/preremplir/")


def test_deadline_reminders_then_closed(client, world):  # noqa: F811
    _prefill(client, world)
    url = "/cockpit/activite-semestrielle/date-limite/"
    start = world["semester"].start_date
    late = client.post(url, {"deadline": start.isoformat()}, follow=True)
    assert "La date limite doit précéder le début du semestre" in late.content.decode()
    deadline = start - timedelta(days=10)
    client.post(url, {"deadline": deadline.isoformat()})
    page = client.get(SUMMARY).content.decode()
    assert f"Date limite de déclaration des internes : {deadline:%d/%m/%Y}" in page
    waiting = ActivityLine.objects.filter(
        subdivision=world["lyon"], status=ActivityStatus.TO_CONFIRM
    ).select_related("resident__person")
    expected = {line.resident.person.primary_email for line in waiting}
    with time_machine.travel(deadline - timedelta(days=7), tick=False):
        assert send_declaration_reminders() == len(expected) > 0
        assert {m.to[0] for m in mail.outbox} == expected
        assert f"avant le {deadline:%d/%m/%Y}" in mail.outbox[0].body
        assert send_declaration_reminders() == 0  # once a day
    with time_machine.travel(deadline - timedelta(days=3), tick=False):
        assert send_declaration_reminders() == 0  # neither a week nor a day before
    chooser = world["chooser"]
    client.logout()
    with time_machine.travel(deadline + timedelta(days=1), tick=False):
        login_verified(client, chooser.person.user)
        page = client.post(
            "/cockpit/mon-semestre-prochain/",
            {"kind": "leave", "reason": "Disponibilité accordée."},
        ).content.decode()
    assert "La date limite de déclaration" in page and "est passée" in page
    line = ActivityLine.objects.get(resident=chooser, subdivision=world["lyon"])
    assert line.kind != "leave"
