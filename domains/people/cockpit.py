"""What the cockpit needs to know of people: the functions a user acts under."""

from domains.cockpit.registry import FunctionInfo

from .roles import (
    PERIMETER_FIELDS,
    ROLE_NOUNS,
    ROLE_PERIMETER,
    PerimeterKind,
    role_permissions,
)
from .selectors import active_functions


def perimeter_key(function) -> str:
    kind = ROLE_PERIMETER[function.role]
    if kind == PerimeterKind.SELF:
        return f"self:{function.person_id}"
    ids = [f"{f}:{getattr(function, f'{f}_id')}" for f in PERIMETER_FIELDS[kind]]
    return "|".join(ids) or kind


def function_infos(user) -> list[FunctionInfo]:
    return [
        FunctionInfo(
            pk=f.pk,
            role=f.role,
            label=str(f),
            perimeter_key=perimeter_key(f),
            permissions=role_permissions(f.role),
            national=ROLE_PERIMETER[f.role] == PerimeterKind.NATIONAL,
            noun=" — ".join(
                str(part) for part in (ROLE_NOUNS[f.role], f.perimeter_label) if part
            ),
        )
        for f in active_functions(user, all_functions=True)
    ]
