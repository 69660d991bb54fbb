"""All or nothing: a bulk action, or any loop over a service, in one transaction.

On the first refusal nothing is written, and the message names the row and the
reason ("« Poste 12 — CHU Lyon » : un tour d'appariement utilise ce poste.").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

T = TypeVar("T")

REFUSALS = (ValidationError, PermissionDenied, ProtectedError)


def refusal_reason(error: Exception) -> str:
    """A service's refusal as one French sentence."""
    if isinstance(error, ProtectedError):
        return _(
            "Suppression impossible : %(count)s enregistrement(s) en dépendent "
            "(par exemple « %(example)s »)."
        ) % {
            "count": len(error.protected_objects),
            "example": next(iter(error.protected_objects)),
        }
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Votre fonction ne permet pas cette action.")


class RowRefused(ValidationError):
    """One row of a bulk write was refused; nothing of the batch was written."""

    def __init__(self, row, reason: str):
        self.row, self.reason = row, reason
        super().__init__(
            _("Rien n'a été enregistré. « %(row)s » : %(reason)s")
            % {"row": row, "reason": reason}
        )


def all_or_nothing(rows: Iterable[T], write: Callable[[T], object]) -> int:
    """`write(row)` for every row in one transaction; the first refusal undoes them
    all and raises `RowRefused` naming the row. Returns the number of rows written."""
    count = 0
    with transaction.atomic():
        for row in rows:
            try:
                with transaction.atomic():
                    write(row)
            except RowRefused:
                raise
            except REFUSALS as error:
                raise RowRefused(row, refusal_reason(error)) from error
            count += 1
    return count
