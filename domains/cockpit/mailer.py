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
