"""May this person do this to this record? The one question every write service asks.

A function grants a model permission through its role (the roles table, filled by
each domain) and reaches the records whose perimeter holds the function's perimeter
object (its region, subdivision, establishment, training site, or the person herself;
a coordinator's, her subdivision and her specialty).
Each function is judged on its own: a person's other functions lend it nothing.
A domain's `permissions.py` names, for each of its records, the perimeter objects that
hold it (the same functions its cockpit screens use) and asks `require` here.

Who acts is always named: a write service takes a keyword-only `by`, a `User` or
`SYSTEM`, and never reads `None` as "nobody checked". `SYSTEM` is the platform itself,
for what no person asks: the daily django-q2 jobs (accreditations past their end
expire, permissions follow the functions that start or end today), the command line
(`import_legacy`), the demo seed. It may everything a superuser may, and its writes are
audited with no author (the history's "system"). A task run for a person (an import
checked or committed in the background) passes that person (`ImportRun.by`), never
`SYSTEM`.
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
    Role,
    role_permissions,
)
from .selectors import active_functions

# The people permissions each role's group carries (registered from PeopleConfig.ready();
# the roles table itself names no app). Who manages people also names them on sites.
_MANAGE_PEOPLE = [
    "people.view_person",
    "people.add_person",
    "people.change_person",
    "people.view_function",
    "people.add_function",
    "people.change_function",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: ["people.view_person", "people.view_function"],
    Role.UNESS_ADMIN: _MANAGE_PEOPLE,
    Role.ARS: _MANAGE_PEOPLE,
    Role.FACULTY_REGISTRY: _MANAGE_PEOPLE,
    # The coordinator reads the people of his specialty.
    Role.COORDINATOR: ["people.view_person"],
    # The RTS names the practitioners and assistants of his site.
    Role.SITE_SUPERVISOR: [
        "people.view_person",
        "people.view_function",
        "people.add_function",
    ],
    # UNESS Assistance agents read the asking person (and, level 2, her functions).
    Role.SUPPORT_L1: ["people.view_person"],
    Role.SUPPORT_L2: ["people.view_person", "people.view_function"],
}


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
    targets = _targets(perimeter)
    return any(_reaches(f, targets) for f in functions_allowing(user, permission))


def _targets(perimeter: Iterable[Model | None]) -> set[tuple[str, object]]:
    return {_key(obj) for obj in perimeter if obj is not None}


def _reaches(function, targets: set[tuple[str, object]]) -> bool:
    """The function's perimeter object is one of those holding the record."""
    kind = ROLE_PERIMETER[function.role]
    if kind == PerimeterKind.NATIONAL:
        return True
    held = getattr(function, PERIMETER_OBJECT_FIELD[kind])
    if held is None or _key(held) not in targets:
        return False
    # A coordinator's perimeter is a specialty within a subdivision: the record
    # must name both (its perimeter lists the specialty it belongs to).
    return kind != PerimeterKind.SPECIALTY_IN_SUBDIVISION or (
        function.specialty is not None and _key(function.specialty) in targets
    )


def require(
    user, permission: str, perimeter: Iterable[Model | None], refusal: str = ""
) -> None:
    """`may`, or PermissionDenied with a French sentence the person can read."""
    if not may(user, permission, perimeter):
        raise PermissionDenied(
            refusal
            or _("Votre fonction ne vous permet pas cette action sur ce dossier.")
        )


class Platform:
    """SIIMOP itself, acting where no person asks (see this module's docstring): a
    superuser that is no account, whose writes carry no author in the history."""

    is_platform = True
    is_superuser = True
    is_staff = False
    is_active = True
    is_authenticated = True
    is_anonymous = False
    pk = id = None
    email = ""

    def has_perm(self, perm: str, obj=None) -> bool:
        return True

    def __str__(self) -> str:
        return _("la plateforme SIIMOP")

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = Platform()


def may_somewhere(user, permission: str) -> bool:
    """One of her functions carries `permission`, wherever it lies: for a record that
    lies in no perimeter yet (a person being created)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(functions_allowing(user, permission))


def require_somewhere(user, permission: str, refusal: str = "") -> None:
    if not may_somewhere(user, permission):
        raise PermissionDenied(
            refusal or _("Votre fonction ne vous permet pas cette action.")
        )


# People's records -------------------------------------------------------------------
ADD_PERSON = "people.add_person"
CHANGE_PERSON = "people.change_person"
# Giving a function and taking it back: who may give a role somewhere may end it there.
GRANT_FUNCTION = "people.add_function"


def person_perimeter(person) -> list:
    """A person is in the perimeters her functions lie in, and in her own."""
    targets = [person]
    for function in person.functions.select_related(
        "subdivision__region",
        "establishment__parent",
        "training_site__subdivision__region",
        "training_site__establishment",
    ):
        site = function.training_site
        establishment = function.establishment
        targets += [
            function.region,
            function.subdivision,
            function.subdivision.region if function.subdivision_id else None,
            establishment,
            establishment.parent if establishment and establishment.parent_id else None,
            establishment.region if establishment else None,
            site,
            site.establishment if site else None,
            site.subdivision if site else None,
            site.subdivision.region if site else None,
        ]
    return targets


def is_herself(user, person) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.pk is not None
        and user.pk == person.user_id
    )


def may_change_person(user, person) -> bool:
    """Her identity and her addresses: she herself; whoever changes persons where she
    works; and, while she holds no function yet (just created or recovered, so in no
    perimeter), whoever may create persons."""
    if is_herself(user, person) or may(user, CHANGE_PERSON, person_perimeter(person)):
        return True
    return not person.functions.exists() and may_somewhere(user, ADD_PERSON)


def require_change_person(user, person) -> None:
    if not may_change_person(user, person):
        raise PermissionDenied(
            _("Votre fonction ne vous permet pas de modifier %(person)s.")
            % {"person": person.full_name}
        )


def require_change_contact(user, person) -> None:
    """How to reach her (primary address, phone): who may change her, or who names
    people where she works (the supervisor of her training site, for its people)."""
    if may_change_person(user, person) or may(
        user, GRANT_FUNCTION, person_perimeter(person)
    ):
        return
    raise PermissionDenied(
        _(
            "Votre fonction ne vous permet pas de modifier les coordonnées de %(person)s."
        )
        % {"person": person.full_name}
    )


def function_place_perimeter(places: dict) -> list:
    """The objects holding a function on these places (region, subdivision, specialty,
    establishment, training site: the Function's perimeter fields)."""
    subdivision, establishment, site = (
        places.get("subdivision"),
        places.get("establishment"),
        places.get("training_site"),
    )
    targets = [places.get("region"), places.get("specialty")]
    if subdivision is not None:
        targets += [subdivision, subdivision.region]
    if establishment is not None:
        targets += [establishment, establishment.parent, establishment.region]
    if site is not None:
        targets += [
            site,
            site.establishment,
            site.establishment.parent,
            site.subdivision,
            site.subdivision.region,
        ]
    return targets


# The perimeter kinds of the roles a granting function gives, by the kind of its own
# perimeter (then on places inside it): never wider than its own. A national function
# gives every role; a personal role (resident) has no place, so whoever gives it may
# give it to anyone.
GIVES: dict[str, frozenset[str]] = {
    PerimeterKind.REGION: frozenset(PerimeterKind) - {PerimeterKind.NATIONAL},
    PerimeterKind.SUBDIVISION: frozenset(PerimeterKind)
    - {PerimeterKind.NATIONAL, PerimeterKind.REGION},
    PerimeterKind.TRAINING_SITE: frozenset({PerimeterKind.TRAINING_SITE}),
}


def _gives(function, role: str, targets: set) -> bool:
    own = ROLE_PERIMETER[function.role]
    if own == PerimeterKind.NATIONAL:
        return True
    kind = ROLE_PERIMETER[role]
    if kind not in GIVES.get(own, ()):
        return False
    return kind == PerimeterKind.SELF or _reaches(function, targets)


def may_grant(user, role: str, places: dict) -> bool:
    """May she give (or take back) this role on these places? The role permission to
    give functions, on a perimeter holding the places, for a role no wider than hers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    targets = _targets(function_place_perimeter(places))
    return any(
        _gives(f, role, targets) for f in functions_allowing(user, GRANT_FUNCTION)
    )


def require_grant(user, role: str, places: dict) -> None:
    if not may_grant(user, role, places):
        raise PermissionDenied(
            _(
                "Votre fonction ne vous permet pas d'attribuer le rôle « %(role)s » sur "
                "ce périmètre."
            )
            % {"role": Role(role).label}
        )


def grantable_roles(user) -> list[str]:
    """The roles she may give under her active function (the form's choices; the
    places are checked on grant)."""
    if user.is_superuser:
        return list(Role)
    kinds: set[str] = set()
    for function in active_functions(user):
        if GRANT_FUNCTION not in role_permissions(function.role):
            continue
        own = ROLE_PERIMETER[function.role]
        kinds |= (
            set(PerimeterKind)
            if own == PerimeterKind.NATIONAL
            else GIVES.get(own, frozenset())
        )
    return [role for role in Role if ROLE_PERIMETER[role] in kinds]
