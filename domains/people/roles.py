"""Roles, the perimeter each one needs, and the permissions each one brings.

One table so that the service granting a function, the database constraint and the
selectors read the same rules.
"""

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

_READ_REFERENTIAL = [
    "referential.view_establishment",
    "referential.view_trainingsite",
    "referential.view_accreditation",
    "referential.view_post",
]

_MANAGE_PEOPLE = [
    "identity.view_accountrequest",
    "identity.change_accountrequest",
    "people.view_person",
    "people.add_person",
    "people.change_person",
    "people.view_function",
    "people.add_function",
    "people.change_function",
]

_READ_RESIDENTS = [
    "residents.view_resident",
    "residents.view_placement",
    "residents.view_specialsituation",
]
# The faculty registry keeps the path: stages and their validation, situations, juries.
_MANAGE_RESIDENTS = [
    *_READ_RESIDENTS,
    "residents.change_resident",
    "residents.add_placement",
    "residents.change_placement",
    "residents.change_specialsituation",
]

# Official documents (certificates, attestations) carry a verification code that
# /verifier/ confirms: issuing one is attesting for the faculty, not reading a path. The
# faculty registry issues them for the residents of its subdivision and a resident her
# own (Mon parcours); every other role, national ones included, only reads the path, and
# superuser status adds nothing (residents/permissions.py reads this table alone).
_ISSUE_DOCUMENTS = ["residents.issue_document"]

# Recovering legacy files: the ARS for her region, UNESS admins for all.
_IMPORT = [
    "imports.view_importrun",
    "imports.add_importrun",
    "imports.change_importrun",
    "imports.view_personproposal",
    "imports.change_personproposal",
]

# Docteur Junior matching: the ARS runs campaigns; faculty registries follow and remind;
# coordinators, DGOS and UNESS read; residents apply; supervisors rank.
_READ_MATCHING = ["matching.view_matchingcampaign"]
_RUN_MATCHING = [
    *_READ_MATCHING,
    "matching.add_matchingcampaign",
    "matching.change_matchingcampaign",
    "matching.change_candidacy",
]

# Accreditation campaigns: the ARS runs them; everyone concerned reads them within his
# perimeter (requests and their dossiers); RTS file, coordinators and residents'
# representatives give opinions (the services check who does what on which request).
_READ_ACCREDITATION = [
    "accreditation.view_accreditationcampaign",
    "accreditation.view_accreditationrequest",
]
_RUN_ACCREDITATION = [
    *_READ_ACCREDITATION,
    "accreditation.add_accreditationcampaign",
    "accreditation.change_accreditationcampaign",
    "accreditation.change_accreditationrequest",
]
# RTS and DAM follow their sites' requests; the campaign's news reach them on their
# own page (Mes agréments), not through the campaigns screen.
_FILE_ACCREDITATION = [
    "accreditation.view_accreditationrequest",
    "accreditation.add_accreditationrequest",
]
_ADVISE_ACCREDITATION = [*_READ_ACCREDITATION, "accreditation.add_opinion"]

# UNESS Assistance agents: the tickets of their teams (django-helpdesk's model).
# They read the asking person's functions and path within their perimeter.
_SUPPORT = [
    "helpdesk.view_ticket",
    "helpdesk.change_ticket",
    "residents.view_resident",
    "assistance.view_statistics",
]

# Model-wide permissions each role's group carries; the perimeter narrows them.
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: [
        *_READ_REFERENTIAL,
        "people.view_person",
        "people.view_function",
        *_READ_RESIDENTS,
        *_READ_MATCHING,
        *_READ_ACCREDITATION,
        "assistance.view_statistics",
    ],
    Role.UNESS_ADMIN: [
        *_READ_REFERENTIAL,
        "wagtailadmin.access_admin",
        *[
            f"referential.{action}_{model}"
            for model in ("region", "subdivision", "faculty", "specialty", "semester")
            for action in ("add", "change", "view")
        ],
        "referential.change_establishment",
        "referential.change_trainingsite",
        *_MANAGE_PEOPLE,
        "identity.view_reconciliationcase",
        "identity.change_reconciliationcase",
        *_IMPORT,
        *_READ_MATCHING,
        *_READ_ACCREDITATION,
        *[f"assistance.{a}_period" for a in ("add", "change", "delete", "view")],
        # The public site's mailing lists and their sends (Wagtail admin).
        *[f"siimop_site.{a}_mailinglist" for a in ("add", "change", "delete", "view")],
        "siimop_site.view_mailing",
        "courses.view_courseenrolment",  # the training statistics
        *[f"courses.{a}_trainingsession" for a in ("add", "change", "delete", "view")],
        "assistance.view_statistics",
    ],
    Role.ARS: [
        *_READ_REFERENTIAL,
        "referential.add_establishment",
        "referential.change_establishment",
        "referential.add_trainingsite",
        "referential.change_trainingsite",
        "referential.add_accreditation",
        "referential.change_accreditation",
        "referential.add_post",
        "referential.change_post",
        "referential.delete_post",
        *_MANAGE_PEOPLE,
        *_READ_RESIDENTS,
        "residents.change_specialsituation",  # interCHU, out of choice: the ARS decides
        *_IMPORT,
        *_RUN_MATCHING,
        *_RUN_ACCREDITATION,
        "assistance.view_statistics",  # UNESS Assistance, for its subdivisions
    ],
    Role.FACULTY_REGISTRY: [
        *_READ_REFERENTIAL,
        *_MANAGE_PEOPLE,
        *_MANAGE_RESIDENTS,
        *_ISSUE_DOCUMENTS,
        *_READ_MATCHING,
        "matching.change_candidacy",  # reminders to the residents of its subdivision
        *_READ_ACCREDITATION,
        "accreditation.change_accreditationrequest",  # reminders to the RTS
    ],
    # The coordinator reads his specialty's residents and gives opinions on requests.
    Role.COORDINATOR: [
        *_READ_REFERENTIAL,
        "people.view_person",
        *_READ_RESIDENTS,
        "residents.change_specialsituation",
        *_READ_MATCHING,
        *_ADVISE_ACCREDITATION,
    ],
    Role.SITE_SUPERVISOR: [
        *_READ_REFERENTIAL,
        "referential.change_trainingsite",
        "people.view_person",
        "people.view_function",
        "people.add_function",
        "residents.view_placement",
        "matching.add_rank",
        *_FILE_ACCREDITATION,
    ],
    Role.PRACTITIONER: [*_READ_REFERENTIAL, "matching.add_rank"],
    Role.SITE_ASSISTANT: [*_READ_REFERENTIAL],
    Role.MEDICAL_AFFAIRS: [
        *_READ_REFERENTIAL,
        "referential.change_establishment",
        "accreditation.view_accreditationrequest",
    ],
    Role.ESTABLISHMENT_DIRECTOR: [*_READ_REFERENTIAL],
    # A resident's perimeter is herself: her path (Mon parcours), her requests.
    Role.RESIDENT: [
        "residents.view_resident",
        "residents.add_specialsituation",
        *_ISSUE_DOCUMENTS,  # her own: her perimeter is herself
        "matching.add_wish",
    ],
    Role.RESIDENT_REPRESENTATIVE: [*_READ_REFERENTIAL, *_ADVISE_ACCREDITATION],
    Role.SUPPORT_L1: [*_READ_REFERENTIAL, "people.view_person", *_SUPPORT],
    Role.SUPPORT_L2: [
        *_READ_REFERENTIAL,
        "people.view_person",
        "people.view_function",
        *_SUPPORT,
    ],
}


# The roles held on a training site, that its supervisor (RTS) may give there.
SITE_ROLES = (Role.SITE_SUPERVISOR, Role.PRACTITIONER, Role.SITE_ASSISTANT)


def role_permissions(role: str) -> frozenset[str]:
    """The model permissions ("app.codename") a role's group carries."""
    return frozenset(ROLE_MODEL_PERMISSIONS.get(role, ()))


def role_group_name(role: str) -> str:
    return f"Rôle : {Role(role).label}"
