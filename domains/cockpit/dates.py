"""Date shifts by months and years, the one way (no Django: pure modules use it too).

`date.replace(year=…)` fails on 29 February; `relativedelta` lands on the 28th.
"""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta


def shifted(day: date, *, years: int = 0, months: int = 0) -> date:
    """The same day `years` and `months` later (the 28th for a 29 February)."""
    return day + relativedelta(years=years, months=months)


def period_end(start: date, *, years: int = 0, months: int = 0) -> date:
    """Last day of a period of that length beginning on `start`."""
    return shifted(start, years=years, months=months) - timedelta(days=1)


def check_order(record, *orders: tuple) -> None:
    """Refuse a record whose later date precedes its earlier one, on the later field.

    Each order is `(start_field, end_field)`, optionally followed by a message with
    `%(start)s` and `%(end)s` and by `strict` (equal dates refused too). An empty
    date is not checked. A day against a moment compares the moment's local day.
    Django is imported here, not above: the pure modules import this module too.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from django.utils.translation import gettext

    errors = {}
    for start_field, end_field, *options in orders:
        message = options[0] if options else None
        strict = bool(options[1]) if len(options) > 1 else False
        first, last = getattr(record, start_field), getattr(record, end_field)
        if first is None or last is None or end_field in errors:
            continue
        start, end = first, last
        if isinstance(start, datetime) != isinstance(end, datetime):
            start, end = _day_of(start, timezone), _day_of(end, timezone)
        if end > start or (end == start and not strict):
            continue
        if message is None:
            message = (
                gettext(
                    "La date de fin (%(end)s) doit suivre la date de début (%(start)s)."
                )
                if strict
                else gettext(
                    "La date de fin (%(end)s) précède la date de début (%(start)s)."
                )
            )
        errors[end_field] = ValidationError(
            message,
            code="dates_out_of_order",
            params={"start": _shown(first, timezone), "end": _shown(last, timezone)},
        )
    if errors:
        raise ValidationError(errors)


def _local(value: datetime, timezone) -> datetime:
    return value if timezone.is_naive(value) else timezone.localtime(value)


def _day_of(value, timezone) -> date:
    return _local(value, timezone).date() if isinstance(value, datetime) else value


def _shown(value, timezone) -> str:
    """dd/mm/yyyy, with the local time for a moment."""
    if isinstance(value, datetime):
        return _local(value, timezone).strftime("%d/%m/%Y à %H:%M")
    return value.strftime("%d/%m/%Y")
