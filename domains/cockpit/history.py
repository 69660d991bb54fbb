"""The audit trail of records (django-simple-history), as lines a person can read."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from .export import plain

ACTIONS = {"+": _("Création"), "~": _("Modification"), "-": _("Suppression")}
LIMIT = 50
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class HistoryEntry:
    date: datetime
    author: str
    action: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field, before, after)


def _label(model: type[Model], field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _readable(value) -> str:
    """A stored value as a reader says it: Oui/Non, dd/mm/yyyy, and a JSON value's
    items as « clé : valeur » (never Python's True, None or {'…': …})."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {_readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_readable(item) for item in value)
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        value = date.fromisoformat(value)  # a day kept as text in a JSON value
    return str(plain(value))


def _display(record, field: str, value) -> str:
    model_field = type(record.instance)._meta.get_field(field)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    elif model_field.is_relation and value is not None:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        value = (
            related
            if related is not None
            else _("n° %(pk)s (supprimé)") % {"pk": value}
        )
    return _readable(value)


def _changes(record, previous) -> list[tuple[str, str, str]]:
    """Every tracked field that differs, derived ones (not editable by hand) included."""
    return [
        (
            _label(type(record.instance), field.name),
            _display(record, field.name, getattr(previous, field.attname)),
            _display(record, field.name, getattr(record, field.attname)),
        )
        for field in record.tracked_fields
        if field.name != "id"
        and getattr(previous, field.attname) != getattr(record, field.attname)
    ]


def entries(history: QuerySet, *, subject: str = "") -> list[HistoryEntry]:
    """Newest first; each version compared with the previous version of its record.

    A queryset may hold the trails of several records (a person's addresses);
    `subject` then names them on the page ("Adresse e-mail « … »").
    """
    records = list(
        history.select_related("history_user").order_by("-history_date")[:LIMIT]
    )
    previous_of, last_seen = {}, {}
    for record in reversed(records):
        previous_of[record.history_id] = last_seen.get(record.id)
        last_seen[record.id] = record
    result = []
    for record in records:
        previous = previous_of[record.history_id]
        user = record.history_user
        author = (user.get_full_name() or user.email) if user else ""
        result.append(
            HistoryEntry(
                date=record.history_date,
                author=author or str(_("Système")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                subject=f"{subject} « {record.instance} »"
                if subject
                else str(record.instance),
                changes=_changes(record, previous)
                if previous is not None and record.history_type == "~"
                else [],
            )
        )
    return result


def merged(*groups: list[HistoryEntry]) -> list[HistoryEntry]:
    """Several records' histories on one page, newest first."""
    every = (entry for group in groups for entry in group)
    return sorted(every, key=lambda e: e.date, reverse=True)[:LIMIT]
