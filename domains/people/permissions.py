"""May this person do this to this record? The one question every write service asks.

A function grants a model permission through its role (the roles table, filled by
each domain) and reaches the records whose perimeter holds the function's perimeter
object (its region, subdivision, establishment, training site, or the person herself;
a coordinator's, her subdivision and her specialty).
Each function is judged on its own: a person's other functions lend it nothing.
A domain's `permissions.py` names, for each of its records, the perimeter objects that
hold it (the same functions its cockpit screens use) and asks `require` here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext as _

from .roles import (
    PERIMETER_OBJECT_FIELD,
    ROLE_PERIMETER,
    PerimeterKind,
    role_permissions,
)
from .selectors import active_functions


def _key(obj: Model) -> tuple[str, object]:
    return obj._meta.label_lower, obj.pk


def functions_allowing(user, permission: str) -> list:
    """The person's functions of today whose role carries `permission`."""
    if user is None or not user.is_authenticated:
        return []
    return [
        f
        for f in active_functions(user, all_functions=True)
        if permission in role_permissions(f.role)
    ]


def may(user, permission: str, perimeter: Iterable[Model | None]) -> bool:
    """One of her functions carries `permission` on a perimeter that holds the record
    (`perimeter`: the objects that hold it). Superusers (UNESS technical staff) may."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    targets = {_key(obj) for obj in perimeter if obj is not None}
    for function in functions_allowing(user, permission):
        kind = ROLE_PERIMETER[function.role]
        if kind == PerimeterKind.NATIONAL:
            return True
        held = getattr(function, PERIMETER_OBJECT_FIELD[kind])
        if held is None or _key(held) not in targets:
            continue
        # A coordinator's perimeter is a specialty within a subdivision: the record
        # must name both (its perimeter lists the specialty it belongs to).
        if kind == PerimeterKind.SPECIALTY_IN_SUBDIVISION and (
            function.specialty is None or _key(function.specialty) not in targets
        ):
            continue
        return True
    return False


def require(
    user, permission: str, perimeter: Iterable[Model | None], refusal: str = ""
) -> None:
    """`may`, or PermissionDenied with a French sentence the person can read."""
    if not may(user, permission, perimeter):
        raise PermissionDenied(
            refusal
            or _("Votre fonction ne vous permet pas cette action sur ce dossier.")
        )
