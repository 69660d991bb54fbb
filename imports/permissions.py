"""Who may recover legacy files, and which kinds of file each role may import."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from domains.people.permissions import functions_allowing
from domains.people.roles import PERIMETER_OBJECT_FIELD, ROLE_PERIMETER, Role

# The imports permissions each role's group carries (registered from
# ImportsConfig.ready()): the ARS for her region, UNESS admins for all, a faculty
# registry for her subdivision (its semester activity only: KIND_ROLES).
_IMPORT = [
    "imports.view_importrun",
    "imports.add_importrun",
    "imports.change_importrun",
    "imports.view_personproposal",
    "imports.change_personproposal",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.UNESS_ADMIN: _IMPORT,
    Role.ARS: _IMPORT,
    Role.FACULTY_REGISTRY: [
        "imports.view_importrun",
        "imports.add_importrun",
        "imports.change_importrun",
    ],
}
IMPORT = "imports.change_importrun"

# Which roles may import each kind of file (the others: DEFAULT_KIND_ROLES). The
# semester activity is the registry's and the ARS's; opening posts is the ARS's.
DEFAULT_KIND_ROLES = frozenset({Role.ARS, Role.UNESS_ADMIN})
KIND_ROLES: dict[str, frozenset] = {
    "activite": frozenset({Role.FACULTY_REGISTRY, Role.ARS, Role.UNESS_ADMIN}),
    "postes": frozenset({Role.ARS, Role.UNESS_ADMIN}),
}


def kind_roles(kind: str) -> frozenset:
    return KIND_ROLES.get(kind, DEFAULT_KIND_ROLES)


def _functions(user, kind: str) -> list:
    return [f for f in functions_allowing(user, IMPORT) if f.role in kind_roles(kind)]


def may_import(user, kind: str, perimeter=None) -> bool:
    """One of her functions whose role may import this kind reaches the perimeter
    (its objects: a subdivision and its region…); `perimeter` None: anywhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    targets = {
        (obj._meta.label_lower, obj.pk) for obj in perimeter or () if obj is not None
    }
    for function in _functions(user, kind):
        field = PERIMETER_OBJECT_FIELD[ROLE_PERIMETER[function.role]]
        if perimeter is None or field is None:
            return True
        held = getattr(function, field)
        if held is not None and (held._meta.label_lower, held.pk) in targets:
            return True
    return False


def require_import(user, kind: str, perimeter=None, refusal: str = "") -> None:
    if not may_import(user, kind, perimeter):
        raise PermissionDenied(
            refusal or _("Votre fonction ne vous permet pas d'importer ce fichier.")
        )


def importable_kinds(user, kinds) -> list[str]:
    """The kinds of file this person may import somewhere."""
    return [kind for kind in kinds if may_import(user, kind)]
