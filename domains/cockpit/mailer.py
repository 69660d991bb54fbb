"""Sending many e-mails through one connection, each recipient's outcome reported
by chunks (so a mailing's delivery log and progress are written a chunk at a time,
not a query per message)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection

T = TypeVar("T")


def message_id(message: EmailMessage) -> str:
    """The ESP's id of a sent message (django-anymail sets it; SMTP/locmem do not)."""
    value = getattr(getattr(message, "anymail_status", None), "message_id", None)
    return "" if value is None else str(value)[:200]


def deliver(
    items: Iterable[T],
    message_for: Callable[[T], EmailMessage],
    on_chunk: Callable[[dict[T, str], dict[T, str]], None],
    *,
    chunk: int = 250,
) -> None:
    """`on_chunk(sent, failed)` after each chunk: `sent` maps an item to its message id
    ("" when the backend gives none), `failed` to its error. One failure never stops
    the others."""
    connection = get_connection()
    connection.open()
    try:
        sent: dict[T, str] = {}
        failed: dict[T, str] = {}
        for item in items:
            message = message_for(item)
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - reported per recipient
                failed[item] = str(error)[:500]
            else:
                sent[item] = message_id(message)
            if len(sent) + len(failed) >= chunk:
                on_chunk(sent, failed)
                sent, failed = {}, {}
        if sent or failed:
            on_chunk(sent, failed)
    finally:
        connection.close()


def delivery_log(delivery_model, mailing_model, mailing_pk: int):
    """The usual `on_chunk` of a mailing with a delivery log (`DeliveryRecord` rows)
    and counters (`sent`, `failed`) on its mailing row."""
    from django.db.models import F
    from django.utils import timezone

    def on_chunk(sent: dict, failed: dict) -> None:
        now = timezone.now()
        if any(sent.values()):
            for delivery, id_ in sent.items():
                delivery.sent_at, delivery.message_id = now, id_
            delivery_model.objects.bulk_update(
                sent, ["sent_at", "message_id"], batch_size=500
            )
        else:
            delivery_model.objects.filter(pk__in=[d.pk for d in sent]).update(
                sent_at=now
            )
        for delivery, error in failed.items():
            delivery_model.objects.filter(pk=delivery.pk).update(error=error)
        mailing_model.objects.filter(pk=mailing_pk).update(
            sent=F("sent") + len(sent), failed=F("failed") + len(failed)
        )

    return on_chunk


NOT_DELIVERED = {"bounced", "rejected", "failed"}


def bounce_record(event) -> int:
    """A message the recipient's server refused after sending (an ESP tracking event,
    e.g. Brevo's hard bounce through django-anymail): its delivery row says so, its
    mailing counts it. Found by message id in every mailing's delivery log; a
    repeated webhook changes nothing. Returns the number of rows marked."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .models import DeliveryRecord

    if event.event_type not in NOT_DELIVERED or not event.message_id:
        return 0
    why = event.mta_response or event.description or event.reject_reason or ""
    error = (_("Refusé par le serveur du destinataire") + (f" : {why}" if why else ""))[
        :500
    ]
    marked = 0
    with transaction.atomic():
        for model in DeliveryRecord.__subclasses__():
            mailing_model = model._meta.get_field("mailing").related_model
            rows = model.objects.select_for_update().filter(
                message_id=event.message_id, bounced_at__isnull=True
            )
            if event.recipient:
                rows = rows.filter(email__iexact=event.recipient)
            for row in rows:
                model.objects.filter(pk=row.pk).update(
                    bounced_at=event.timestamp or timezone.now(), error=error
                )
                mailing_model.objects.filter(pk=row.mailing_id).update(
                    bounced=F("bounced") + 1
                )
                marked += 1
    return marked


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's `tracking` signal (its webhook views send it)."""
    bounce_record(event)
