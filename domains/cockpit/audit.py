"""The author of every write, for the audit trail (django-simple-history).

Services never set `_history_user` by hand: one helper for a record, two for bulk
writes, so that a mass operation leaves one history row per record, written in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.db.models import Model
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

M = TypeVar("M", bound=Model)


def author(by):
    """The account to name in the history: none for the platform itself (people's
    `SYSTEM`: scheduled jobs, the command line, the demo seed)."""
    return None if getattr(by, "is_platform", False) else by


def audited(instance: M, by) -> M:
    """The record, carrying its author for the history row its next save or delete
    writes (`by` None or `SYSTEM`: the system, e.g. a scheduled job)."""
    instance._history_user = author(by)
    return instance


def audited_bulk_create(model: type[M], objs: Sequence[M], *, by) -> list[M]:
    """Insert many records and their history rows in a few queries."""
    return bulk_create_with_history(
        list(objs), model, batch_size=500, default_user=author(by)
    )


def audited_bulk_update(
    model: type[M], objs: Iterable[M], fields: list[str], *, by
) -> int:
    """Update these fields of many records and write their history rows in bulk."""
    return bulk_update_with_history(
        list(objs), model, fields, batch_size=500, default_user=author(by)
    )
