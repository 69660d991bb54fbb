"""Where the choices of a function's perimeter come from.

People is the lowest domain and cannot read the referential; the referential registers
here, for each perimeter field, the objects a user may choose (her own perimeter).
"""

from collections.abc import Callable

from django.db.models import QuerySet

PERIMETER_QUERYSETS: dict[str, Callable[[object], QuerySet]] = {}


def register_perimeter_queryset(
    field: str, queryset: Callable[[object], QuerySet]
) -> None:
    PERIMETER_QUERYSETS[field] = queryset
