"""The commission's batch actions are all or nothing: when one request cannot move,
nothing of the batch is written and the message names that request and why."""

import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from domains.accreditation import services
from domains.accreditation.models import (
    AccreditationRequest,
    RequestStatus,
    Transition,
)
from tests.conftest import login_verified
from tests.factories.accreditation import make_world

pytestmark = pytest.mark.django_db


def _two_in_analysis(w):
    first = w.filed()
    second = w.filed(specialty_code="DES-MGE", type="complementary")
    w.close_filing()
    return (
        AccreditationRequest.objects.get(pk=first.pk),
        AccreditationRequest.objects.get(pk=second.pk),
    )


def test_scheduling_the_agenda_writes_nothing_when_one_request_has_moved_on():
    w = make_world()
    first, second = _two_in_analysis(w)
    # The page was drawn with both in analysis; meanwhile the second was scheduled.
    services.request_schedule(
        by=w.ars, accreditation_request=AccreditationRequest.objects.get(pk=second.pk)
    )
    with pytest.raises(ValidationError) as refused:
        services.requests_schedule(by=w.ars, accreditation_requests=[first, second])
    message = " ".join(refused.value.messages)
    assert message.startswith("Rien n'a été enregistré.")
    assert (
        f"« {second} »" in message
        and "la demande est « Inscrite à la commission »" in message
    )
    assert AccreditationRequest.objects.get(pk=first.pk).status == (
        RequestStatus.ANALYSIS
    )
    assert not Transition.objects.filter(request=first, action="schedule").exists()


def test_scheduling_the_agenda_by_someone_else_is_refused_for_all():
    w = make_world()
    first, second = _two_in_analysis(w)
    with pytest.raises(ValidationError) as refused:
        services.requests_schedule(
            by=w.other_ars, accreditation_requests=[first, second]
        )
    assert f"« {first} »" in " ".join(refused.value.messages)
    assert set(AccreditationRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.ANALYSIS
    }


def test_the_commission_page_schedules_every_request_in_analysis(client):
    w = make_world()
    _two_in_analysis(w)
    login_verified(client, w.ars)
    page = client.post(
        f"/cockpit/campagnes-agrements/{w.campaign.pk}/commission/",
        {"schedule_all": "1"},
        follow=True,
    )
    assert "2 demandes inscrites à l'ordre du jour." in html.unescape(
        page.content.decode()
    )
    assert set(AccreditationRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.COMMISSION
    }


def test_reminding_a_selection_with_a_filed_request_reminds_nobody_and_names_it(
    client, django_capture_on_commit_callbacks
):
    w = make_world()
    draft = w.new_request()
    filed = w.filed(specialty_code="DES-MGE", type="complementary")
    login_verified(client, w.ars)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/cockpit/demandes-agrement/actions/",
            {"action": "relancer", "confirmed": "1", "selection": [draft.pk, filed.pk]},
            follow=True,
        )
    text = html.unescape(page.content.decode())
    assert f"Rien n'a été enregistré. « {filed} »" in text
    assert "« Relancer le responsable » est impossible" in text
    draft.refresh_from_db()
    assert draft.reminded_at is None
    assert not Transition.objects.filter(action="remind").exists()
    assert mail.outbox == []
