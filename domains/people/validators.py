"""Checks on what people type about a person."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit.dates import shifted

ADULT_AGE = 18
OLDEST_AGE = 100


def validate_birth_date(value) -> None:
    """Plausible for someone who works or trains at a hospital: an adult, under 100."""
    if value is None:
        return
    today = timezone.localdate()
    if value > shifted(today, years=-ADULT_AGE):
        raise ValidationError(
            _(
                "Date de naissance invraisemblable (%(date)s) : la personne doit "
                "être majeure."
            )
            % {"date": value.strftime("%d/%m/%Y")},
            code="birth_date_too_recent",
        )
    if value < shifted(today, years=-OLDEST_AGE):
        raise ValidationError(
            _("Date de naissance invraisemblable (%(date)s) : plus de %(age)s ans.")
            % {"date": value.strftime("%d/%m/%Y"), "age": OLDEST_AGE},
            code="birth_date_too_old",
        )
