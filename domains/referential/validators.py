"""French health-establishment identifiers: FINESS and SIRET.

FINESS is 9 characters: a 2-character department code, 6 digits, then a Luhn check key
computed on the first 8. Corsica's departments are written 2A and 2B in FINESS numbers;
Luhn needs digits, so we compute the key with 2A/2B read as "20", the single Corsican
department code they replaced in 1976 (a documented choice, see README: to be confirmed
against the FINESS registry when a Corsican number fails on real data).
SIRET is checked by python-stdnum, which knows La Poste's exception.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret
from stdnum.luhn import calc_check_digit
from stdnum.luhn import checksum as luhn_checksum

_FINESS_RE = re.compile(r"^(\d{2}|2A|2B)\d{7}$")


def compact(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _finess_digits(number: str) -> str:
    return "20" + number[2:] if number[:2] in ("2A", "2B") else number


def finess_is_valid(value: str) -> bool:
    number = compact(value)
    return bool(_FINESS_RE.match(number)) and luhn_checksum(_finess_digits(number)) == 0


def finess_check_digit(first_eight: str) -> str:
    return calc_check_digit(_finess_digits(first_eight))


def validate_finess(value: str) -> None:
    number = compact(value)
    if not _FINESS_RE.match(number):
        raise ValidationError(
            _(
                "FINESS invalide : 9 caractères attendus (département sur 2 caractères, "
                "dont 2A/2B pour la Corse, puis 7 chiffres), « %(value)s » reçu."
            ),
            code="finess_format",
            params={"value": value},
        )
    if luhn_checksum(_finess_digits(number)) != 0:
        raise ValidationError(
            _("FINESS invalide : la clé de contrôle de « %(value)s » est fausse."),
            code="finess_key",
            params={"value": value},
        )


def siret_is_valid(value: str) -> bool:
    return stdnum_siret.is_valid(compact(value))


def validate_siret(value: str) -> None:
    number = compact(value)
    if not re.fullmatch(r"\d{14}", number):
        raise ValidationError(
            _("SIRET invalide : 14 chiffres attendus, « %(value)s » reçu."),
            code="siret_format",
            params={"value": value},
        )
    try:
        stdnum_siret.validate(number)
    except StdnumError:
        raise ValidationError(
            _("SIRET invalide : la clé de contrôle de « %(value)s » est fausse."),
            code="siret_key",
            params={"value": value},
        ) from None


def format_finess(value: str) -> str:
    """Display form NN NNN NNN N."""
    n = compact(value)
    return f"{n[:2]} {n[2:5]} {n[5:8]} {n[8:]}" if len(n) == 9 else value
