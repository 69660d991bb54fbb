"""Sending many e-mails through one connection, each recipient's outcome reported
by chunks (so a mailing's delivery log and progress are written a chunk at a time,
not a query per message)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection

T = TypeVar("T")


def deliver(
    items: Iterable[T],
    message_for: Callable[[T], EmailMessage],
    on_chunk: Callable[[list[T], dict[T, str]], None],
    *,
    chunk: int = 250,
) -> None:
    """`on_chunk(sent, failed)` after each chunk; `failed` maps an item to its error.
    One failure never stops the others."""
    connection = get_connection()
    connection.open()
    try:
        sent: list[T] = []
        failed: dict[T, str] = {}
        for item in items:
            message = message_for(item)
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - reported per recipient
                failed[item] = str(error)[:500]
            else:
                sent.append(item)
            if len(sent) + len(failed) >= chunk:
                on_chunk(sent, failed)
                sent, failed = [], {}
        if sent or failed:
            on_chunk(sent, failed)
    finally:
        connection.close()


def delivery_log(delivery_model, mailing_model, mailing_pk: int):
    """The usual `on_chunk` of a mailing with a delivery log (rows with `sent_at` and
    `error`) and counters (`sent`, `failed`) on its mailing row."""
    from django.db.models import F
    from django.utils import timezone

    def on_chunk(sent: list, failed: dict) -> None:
        delivery_model.objects.filter(pk__in=[d.pk for d in sent]).update(
            sent_at=timezone.now()
        )
        for delivery, error in failed.items():
            delivery_model.objects.filter(pk=delivery.pk).update(error=error)
        mailing_model.objects.filter(pk=mailing_pk).update(
            sent=F("sent") + len(sent), failed=F("failed") + len(failed)
        )

    return on_chunk
