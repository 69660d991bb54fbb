"""E-mail, one way for the whole platform.

- `enqueue(task, *ids)`: a service asks for an e-mail; the django-q2 task runs once
  the transaction commits (never for a write that was rolled back).
- `send(to=…, template=…, context=…)`: the task sends one message; its subject and body
  are templates (`<template>_subject.txt`, `<template>.txt`) translated with gettext,
  and the outcome goes to the delivery log (`EmailLog`).
- `deliver(...)`: a mailing to many recipients through one connection, each
  recipient's outcome reported by chunks (a mailing's delivery log and progress are
  written a chunk at a time, not a query per message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

T = TypeVar("T")


def enqueue(task: str, *args) -> None:
    """Run the django-q2 task `task` (dotted path) with these ids after the commit."""
    from django.db import transaction
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(task, *args))


def render(template: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and the body of a message, in French, as typed: plain
    text, not HTML-escaped (« l'équipe d'Aïcha », not « l&#x27;équipe »)."""
    with translation.override("fr"):
        subject = _text(f"{template}_subject.txt", context)
        body = _text(f"{template}.txt", context)
    return " ".join(subject.split()), body


def _text(name: str, context: dict) -> str:
    return get_template(name).template.render(Context(context, autoescape=False))


def send(
    *,
    to: str,
    template: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send one message now (from a task) and log it; a failure is logged, then
    raised, so that django-q2 records the failed task. `headers`: e.g. the
    Message-ID a reply will name (UNESS Assistance threads replies by it)."""
    from .models import EmailLog

    subject, body = render(template, context)
    message = EmailMessage(
        subject=subject, body=body, to=[to], reply_to=reply_to, headers=headers
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    log = EmailLog(email=to, template=template, subject=subject[:250])
    try:
        message.send()
    except Exception as error:
        log.error = str(error)[:500]
        log.save()
        raise
    log.sent, log.message_id = True, message_id(message)
    log.save()


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
