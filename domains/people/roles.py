"""Roles, the perimeter each one needs, and the registry of the permissions each one
brings.

One table so that the service granting a function, the database constraint and the
selectors read the same rules; the permissions are each app's (registered here).
"""

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DGOS = "dgos", _("DGOS (ministère)")
    UNESS_ADMIN = "uness_admin", _("Administrateur UNESS")
    ARS = "ars", _("Agent ARS")
    FACULTY_REGISTRY = "faculty_registry", _("Scolarité de faculté")
    COORDINATOR = "coordinator", _("Coordonnateur de DES")
    SITE_SUPERVISOR = "site_supervisor", _("Responsable de terrain de stage (RTS)")
    PRACTITIONER = "practitioner", _("Maître de stage universitaire (MSU)")
    SITE_ASSISTANT = "site_assistant", _("Assistant de terrain de stage")
    MEDICAL_AFFAIRS = "medical_affairs", _("Direction des affaires médicales (DAM)")
    ESTABLISHMENT_DIRECTOR = "establishment_director", _("Directeur d'établissement")
    RESIDENT = "resident", _("Interne")
    RESIDENT_REPRESENTATIVE = "resident_representative", _("Représentant des internes")
    SUPPORT_L1 = "support_l1", _("Support niveau 1")
    SUPPORT_L2 = "support_l2", _("Support niveau 2")


class PerimeterKind(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", _("Région")
    SUBDIVISION = "subdivision", _("Subdivision")
    SPECIALTY_IN_SUBDIVISION = (
        "specialty_in_subdivision",
        _("Spécialité dans une subdivision"),
    )
    ESTABLISHMENT = "establishment", _("Établissement")
    TRAINING_SITE = "training_site", _("Terrain de stage")
    SELF = "self", _("Soi-même")


ROLE_PERIMETER: dict[str, str] = {
    Role.DGOS: PerimeterKind.NATIONAL,
    Role.UNESS_ADMIN: PerimeterKind.NATIONAL,
    Role.SUPPORT_L2: PerimeterKind.NATIONAL,
    Role.ARS: PerimeterKind.REGION,
    Role.FACULTY_REGISTRY: PerimeterKind.SUBDIVISION,
    Role.RESIDENT_REPRESENTATIVE: PerimeterKind.SUBDIVISION,
    Role.SUPPORT_L1: PerimeterKind.SUBDIVISION,
    Role.COORDINATOR: PerimeterKind.SPECIALTY_IN_SUBDIVISION,
    Role.MEDICAL_AFFAIRS: PerimeterKind.ESTABLISHMENT,
    Role.ESTABLISHMENT_DIRECTOR: PerimeterKind.ESTABLISHMENT,
    Role.SITE_SUPERVISOR: PerimeterKind.TRAINING_SITE,
    Role.PRACTITIONER: PerimeterKind.TRAINING_SITE,
    Role.SITE_ASSISTANT: PerimeterKind.TRAINING_SITE,
    Role.RESIDENT: PerimeterKind.SELF,
}

# Each role as the person who holds it, inside a sentence ("Vous travaillez en tant
# qu'agent de scolarité de faculté"): a service's name is not a person.
ROLE_NOUNS: dict[str, str] = {
    Role.DGOS: _("agent de la DGOS (ministère)"),
    Role.UNESS_ADMIN: _("administrateur UNESS"),
    Role.ARS: _("agent ARS"),
    Role.FACULTY_REGISTRY: _("agent de scolarité de faculté"),
    Role.COORDINATOR: _("coordonnateur de DES"),
    Role.SITE_SUPERVISOR: _("responsable de terrain de stage (RTS)"),
    Role.PRACTITIONER: _("maître de stage universitaire (MSU)"),
    Role.SITE_ASSISTANT: _("assistant de terrain de stage"),
    Role.MEDICAL_AFFAIRS: _("agent de la direction des affaires médicales (DAM)"),
    Role.ESTABLISHMENT_DIRECTOR: _("directeur d'établissement"),
    Role.RESIDENT: _("interne"),
    Role.RESIDENT_REPRESENTATIVE: _("représentant des internes"),
    Role.SUPPORT_L1: _("agent de support (niveau 1)"),
    Role.SUPPORT_L2: _("agent de support (niveau 2)"),
}

# The Function fields each perimeter kind fills in; all other perimeter fields stay empty.
PERIMETER_FIELDS: dict[str, tuple[str, ...]] = {
    PerimeterKind.NATIONAL: (),
    PerimeterKind.REGION: ("region",),
    PerimeterKind.SUBDIVISION: ("subdivision",),
    PerimeterKind.SPECIALTY_IN_SUBDIVISION: ("subdivision", "specialty"),
    PerimeterKind.ESTABLISHMENT: ("establishment",),
    PerimeterKind.TRAINING_SITE: ("training_site",),
    PerimeterKind.SELF: (),
}
ALL_PERIMETER_FIELDS = (
    "region",
    "subdivision",
    "specialty",
    "establishment",
    "training_site",
)

# The object a function's django-guardian permissions are put on, per perimeter kind
# (the specialty of a coordinator narrows the subdivision in the selectors).
PERIMETER_OBJECT_FIELD: dict[str, str | None] = {
    PerimeterKind.NATIONAL: None,
    PerimeterKind.REGION: "region",
    PerimeterKind.SUBDIVISION: "subdivision",
    PerimeterKind.SPECIALTY_IN_SUBDIVISION: "subdivision",
    PerimeterKind.ESTABLISHMENT: "establishment",
    PerimeterKind.TRAINING_SITE: "training_site",
    PerimeterKind.SELF: "person",
}

# Roles that may change what lies inside their perimeter (others only read it).
MANAGING_ROLES = frozenset(
    {
        Role.ARS,
        Role.FACULTY_REGISTRY,
        Role.COORDINATOR,
        Role.SITE_SUPERVISOR,
        Role.MEDICAL_AFFAIRS,
        Role.RESIDENT,
        Role.SUPPORT_L1,  # answers and moves the tickets of its subdivision's teams
    }
)

# The roles held on a training site, that its supervisor (RTS) may give there.
SITE_ROLES = (Role.SITE_SUPERVISOR, Role.PRACTITIONER, Role.SITE_ASSISTANT)


# The model permissions ("app.codename") each role's group carries, the perimeter
# narrowing them. People names no other app: each app registers the permissions of its
# own models from its AppConfig.ready() (`ROLE_PERMISSIONS` at the top of its
# permissions.py), so a new screen edits its own app only.
ROLE_MODEL_PERMISSIONS: dict[str, set[str]] = {role: set() for role in Role}


def register_role_permissions(table: Mapping[str, Iterable[str]]) -> None:
    """Add an app's permissions to the roles that carry them (from its ready())."""
    for role, permissions in table.items():
        ROLE_MODEL_PERMISSIONS[Role(role)].update(permissions)


def role_permissions(role: str) -> frozenset[str]:
    """The model permissions ("app.codename") a role's group carries."""
    return frozenset(ROLE_MODEL_PERMISSIONS.get(role, ()))


def role_group_name(role: str) -> str:
    return f"Rôle : {Role(role).label}"
