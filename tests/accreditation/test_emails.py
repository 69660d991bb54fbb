"""The accreditation e-mails leave through the one mailer, after the commit: the
decision letter (its PDF attached) to the site's RTS and the establishment's DAM,
the reminder to the RTS of a draft; subject and body from the templates, in French,
each message in the delivery log."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from domains.accreditation import services
from domains.accreditation.tasks import send_reminders
from domains.cockpit.models import EmailLog
from tests.factories.accreditation import make_world

pytestmark = pytest.mark.django_db


def test_the_decision_letter_reaches_the_rts_and_the_dam_from_its_templates(
    django_capture_on_commit_callbacks,
):
    w = make_world()
    accreditation_request = w.filed()
    w.close_filing()
    accreditation_request = w.to_commission(accreditation_request)
    services.proposal_record(
        by=w.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    site, specialty = w.site.name, accreditation_request.specialty.label
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == sorted([w.rts.email, w.dam.email])
    for letter in by_address.values():
        assert letter.subject == f"SIIMOP — décision d'agrément : {site}, {specialty}"
        assert "a statué sur la demande d'agrément" in letter.body
        assert "Agrément 5 ans" in letter.body and "&#x27;" not in letter.body
        assert f"/cockpit/demandes-agrement/{accreditation_request.pk}/" in letter.body
        [(name, content, mimetype)] = letter.attachments
        assert name == f"decision-agrement-{accreditation_request.pk}.pdf"
        assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    logged = EmailLog.objects.filter(template="accreditation/email_decision")
    assert sorted(logged.values_list("email", flat=True)) == sorted(by_address)
    assert all(log.sent for log in logged)


def test_a_decision_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    w = make_world()
    accreditation_request = w.filed()
    w.close_filing()
    accreditation_request = w.to_commission(accreditation_request, opinions=False)
    services.proposal_record(
        by=w.ars, accreditation_request=accreditation_request, outcome="granted"
    )
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Avis requis manquant"),
    ):
        services.decision_record(by=w.ars, accreditation_request=accreditation_request)
    assert mail.outbox == [] and not EmailLog.objects.exists()


def test_the_reminder_goes_to_the_rts_only_with_his_deadline(
    django_capture_on_commit_callbacks,
):
    w = make_world()
    draft = w.new_request()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requests_remind(by=w.ars, accreditation_requests=[draft]) == 1
    [reminder] = mail.outbox
    assert reminder.to == [w.rts.email]  # not the DAM: the RTS files the dossier
    assert reminder.subject == (
        "SIIMOP — agréments : votre dossier Médecine cardiovasculaire n'est pas déposé"
    )
    local = timezone.localtime(w.campaign.filing_closes)
    assert f"avant le {local:%d/%m/%Y} à {local:%H:%M}" in reminder.body
    assert f"/cockpit/demandes-agrement/{draft.pk}/dossier/" in reminder.body
    assert "n'est pas déposé" in reminder.subject and "&#x27;" not in reminder.body
    assert EmailLog.objects.get(template="accreditation/email_reminder").sent
    assert send_reminders([draft.pk]) == 1  # the task, run again, sends again
