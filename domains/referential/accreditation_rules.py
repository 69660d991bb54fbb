"""The rules of an accreditation of the referential, in one place and pure (no
queries): the referential's services (one accreditation, or a recovered batch) check
them, and an accreditation campaign's decision dates the accreditation it creates
with them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from domains.cockpit.dates import period_end

from .models import AccreditationState, SpecialtyKind

# How long a decision accredits a site: granted five years, provisional one.
ACCREDITATION_YEARS = {AccreditationState.GRANTED: 5, AccreditationState.PROVISIONAL: 1}


def accreditation_end(start: date, state: str) -> date:
    """The last day of an accreditation in this state starting on `start` (the day
    before the anniversary); a refusal ends the day it would have started."""
    years = ACCREDITATION_YEARS.get(state)
    return start if years is None else period_end(start, years=years)


def complementary_end(end: date, principal_end: date | None) -> date:
    """A complementary accreditation never outlasts the site's principal one."""
    if principal_end is None:
        raise ValidationError(
            _(
                "Un agrément complémentaire suppose un agrément principal en vigueur "
                "sur ce terrain : décidez d'abord le principal."
            )
        )
    return min(end, principal_end)


def accreditation_errors(
    *, start_date: date, end_date: date, specialty_kind: str, has_phases: bool
) -> dict[str, str]:
    """What is wrong with an accreditation, field by field (empty: nothing)."""
    errors = {}
    if end_date < start_date:
        errors["end_date"] = _(
            "La fin de l'agrément (%(end)s) précède son début (%(start)s)."
        ) % {
            "end": end_date.strftime("%d/%m/%Y"),
            "start": start_date.strftime("%d/%m/%Y"),
        }
    if not has_phases:
        errors["phases"] = _("Choisissez au moins une phase.")
    if specialty_kind == SpecialtyKind.OPTION:
        errors["specialty"] = _(
            "Un terrain est agréé pour un DES ou une FST, pas pour une option."
        )
    return errors
