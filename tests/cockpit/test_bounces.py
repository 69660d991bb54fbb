"""A message the recipient's server refuses after sending: the ESP's tracking webhook
(Brevo, through django-anymail) marks its row in the delivery log and the mailing
counts it, once, whichever mailing sent it; the webhook wants its password."""

import base64
import io
import json

import pytest
from django.core import mail
from django.test import override_settings
from openpyxl import load_workbook

from domains.accreditation.models import CampaignMailing
from domains.accreditation.tasks import send_mailing
from domains.cockpit.mailer import bounce_record
from siimop_site.models import Delivery, HomePage, Mailing, MailingList
from tests.factories.accreditation import make_world

pytestmark = pytest.mark.django_db

WEBHOOK = "/anymail/brevo/tracking/"
AUTH = "Basic " + base64.b64encode(b"siimop:dev-webhook").decode()


def hard_bounce(message_id, email):
    return json.dumps(
        {
            "event": "hard_bounce",
            "email": email,
            "message-id": message_id,
            "ts_epoch": 1_795_000_000_000,
            "reason": "550 5.1.1 Adresse inconnue",
        }
    )


@override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend")
def test_a_hard_bounce_lands_in_the_campaign_delivery_log(client):
    w = make_world()
    mailing = CampaignMailing.objects.create(campaign=w.campaign, subject="S", body="B")
    mail.outbox.clear()
    send_mailing(mailing.pk)
    rts = mailing.deliveries.get(email=w.rts.email)
    dam = mailing.deliveries.get(email=w.dam.email)
    assert rts.message_id and dam.message_id and rts.message_id != dam.message_id

    # Without the webhook's password: refused, nothing changes.
    refused = client.post(
        WEBHOOK, hard_bounce(rts.message_id, rts.email), content_type="application/json"
    )
    assert refused.status_code in (400, 401, 403)
    rts.refresh_from_db()
    assert rts.bounced_at is None

    for _ in range(2):  # Brevo retries: the second call changes nothing
        answer = client.post(
            WEBHOOK,
            hard_bounce(rts.message_id, rts.email),
            content_type="application/json",
            HTTP_AUTHORIZATION=AUTH,
        )
        assert answer.status_code == 200
    rts.refresh_from_db()
    dam.refresh_from_db()
    mailing.refresh_from_db()
    assert rts.bounced_at is not None and dam.bounced_at is None
    assert rts.error == (
        "Refusé par le serveur du destinataire : 550 5.1.1 Adresse inconnue"
    )
    assert (mailing.sent, mailing.failed, mailing.bounced) == (2, 0, 1)

    # The ARS sees it on the campaign page and in the delivery log.
    client.force_login(w.ars)
    page = client.get(w.campaign.get_absolute_url()).content.decode()
    assert "1 revenu en erreur" in page
    log = client.get(f"/cockpit/campagnes-agrements/{w.campaign.pk}/envoi/journal.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(log.streaming_content))).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[rts.email][3] and "Adresse inconnue" in rows[rts.email][4]
    assert rows[dam.email][3] is None


def test_the_site_announcement_mailing_counts_its_bounces_too():
    from anymail.signals import AnymailTrackingEvent

    mailing = Mailing.objects.create(page=HomePage.objects.get(), total=1, sent=1)
    delivery = Delivery.objects.create(
        mailing=mailing,
        email="parti@exemple.fr",
        mailing_list=MailingList.objects.create(name="RTS"),
        message_id="<abc@brevo>",
    )
    delivered = AnymailTrackingEvent(
        event_type="delivered", message_id="<abc@brevo>", recipient=delivery.email
    )
    assert bounce_record(delivered) == 0
    bounced = AnymailTrackingEvent(
        event_type="bounced", message_id="<abc@brevo>", recipient=delivery.email
    )
    assert bounce_record(bounced) == 1
    mailing.refresh_from_db()
    delivery.refresh_from_db()
    assert mailing.bounced == 1 and delivery.bounced_at is not None
    assert delivery.error == "Refusé par le serveur du destinataire"
