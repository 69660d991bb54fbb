"""The audit trail of records (django-simple-history), as lines a person can read."""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from .export import plain

ACTIONS = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}
LIMIT = 50


@dataclass
class HistoryEntry:
    date: datetime
    author: str
    action: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def _label(model: type[Model], field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _display(record, field: str, value) -> str:
    instance = record.instance
    model_field = type(instance)._meta.get_field(field)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    elif model_field.is_relation and value is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        value = related if related is not None else value
    return str(plain(value)) if value not in (None, "") else "—"


def entries(history: QuerySet, *, subject: str = "") -> list[HistoryEntry]:
    """Newest first; each change compared with the version before it."""
    records = list(
        history.select_related("history_user").order_by("-history_date")[: LIMIT + 1]
    )
    result = []
    for record, previous in pairwise([*records, None]):
        if record is None or len(result) == LIMIT:
            break
        changes = []
        if previous is not None and record.history_type == "~":
            # Every tracked field, derived ones (not editable by hand) included.
            changes = [
                (
                    _label(type(record.instance), field.name),
                    _display(record, field.name, getattr(previous, field.attname)),
                    _display(record, field.name, getattr(record, field.attname)),
                )
                for field in record.tracked_fields
                if field.name != "id"
                and getattr(previous, field.attname) != getattr(record, field.attname)
            ]
        user = record.history_user
        author = getattr(user, "get_full_name", lambda: "")() or getattr(
            user, "email", ""
        )
        result.append(
            HistoryEntry(
                date=record.history_date,
                author=author or str(_("Système")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=subject or str(record.instance),
                changes=changes,
            )
        )
    return result


def merged(*groups: list[HistoryEntry]) -> list[HistoryEntry]:
    """Several records' histories on one page, newest first."""
    return sorted(
        (e for group in groups for e in group), key=lambda e: e.date, reverse=True
    )[:LIMIT]
