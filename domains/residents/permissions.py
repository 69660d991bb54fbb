"""What an actor may do to residents and their path: the perimeters of each record
(the same functions the cockpit screens use) and the questions every write service
asks through `people.permissions` (role permission, function perimeter).

- a resident's path (enrolment, phases, juries, thesis, diploma) and her stages: the
  faculty registry of her subdivision (`residents.change_resident`, `add_placement`,
  `change_placement`);
- a special situation: the resident asks for herself (`add_specialsituation`), the
  coordinator of her DES in her subdivision gives an opinion, the faculty registry
  or the ARS decide (`change_specialsituation`: a coordinator's function reaches a
  record only when its perimeter names her specialty, which the decision's does not);
- recovered residents and stages: whoever commits the legacy imports of their
  region (`imports.change_importrun`: the ARS, UNESS).

Who may issue a resident's official documents is the rule below.

Which roles issue is this app's ROLE_PERMISSIONS (`residents.issue_document`);
on whom, the perimeter of the function holding it, read with the residents' perimeter
rules: the faculty registry for the residents of its subdivision, a resident for herself.
Each function is judged on its own, so a person's other functions lend it nothing.

Superuser status is deliberately no exception: a document attests for the faculty, and
UNESS, which runs the platform, is not one. Django's `has_perm` answers yes to a
superuser for everything, so this rule never asks it.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from domains.people.permissions import may, require
from domains.people.roles import (
    ROLE_MODEL_PERMISSIONS,
    ROLE_PERIMETER,
    PerimeterKind,
    Role,
)
from domains.people.selectors import active_functions
from domains.referential.permissions import site_perimeter
from domains.referential.selectors import EVERYTHING, NOTHING

from .models import Enrolment, EnrolmentState, Resident
from .selectors import resident_rules

# The residents permissions each role's group carries (registered from
# ResidentsConfig.ready()); the perimeter narrows them.
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
# superuser status adds nothing (the rule below reads the roles' permissions alone).
# The statistics (INTERNES > Statistiques) are those of a perimeter's residents: read by
# the roles that follow residents, not by a resident or a support agent.
_STATISTICS = "residents.view_statistics"
# The last rank admitted per DES, subdivision and cohort (the droit au remords is
# checked against it): the registry enters its subdivision's, the ARS reads them.
_LAST_RANKS = [
    f"residents.{action}_lastadmittedrank"
    for action in ("view", "add", "change", "delete")
]
# The Ordre's thresholds for the licence de remplacement: national data, UNESS's.
_THRESHOLDS = [
    f"residents.{action}_replacementthreshold"
    for action in ("view", "add", "change", "delete")
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DGOS: [*_READ_RESIDENTS, _STATISTICS],
    Role.UNESS_ADMIN: [_STATISTICS, *_THRESHOLDS, "residents.view_lastadmittedrank"],
    # InterCHU, out of choice: the ARS decides.
    Role.ARS: [
        *_READ_RESIDENTS,
        "residents.change_specialsituation",
        _STATISTICS,
        "residents.view_lastadmittedrank",
    ],
    Role.FACULTY_REGISTRY: [
        *_MANAGE_RESIDENTS,
        "residents.issue_document",
        _STATISTICS,
        *_LAST_RANKS,
    ],
    # The coordinator reads his specialty's residents and gives opinions.
    Role.COORDINATOR: [
        *_READ_RESIDENTS,
        "residents.change_specialsituation",
        _STATISTICS,
    ],
    Role.SITE_SUPERVISOR: ["residents.view_placement"],
    # The hospital (DAM, director) reads the stages on its establishment's sites.
    Role.MEDICAL_AFFAIRS: ["residents.view_placement"],
    Role.ESTABLISHMENT_DIRECTOR: ["residents.view_placement"],
    # A resident's perimeter is herself: her path (Mon parcours), her requests.
    Role.RESIDENT: [
        "residents.view_resident",
        # Her own requests: she follows them and withdraws one while it is pending.
        "residents.view_specialsituation",
        "residents.add_specialsituation",
        "residents.issue_document",
    ],
    # UNESS Assistance agents read the asking person's path within their perimeter.
    Role.SUPPORT_L1: ["residents.view_resident"],
    Role.SUPPORT_L2: ["residents.view_resident"],
}

ISSUE_DOCUMENT = "residents.issue_document"
CHANGE_RESIDENT = "residents.change_resident"
ADD_PLACEMENT = "residents.add_placement"
CHANGE_PLACEMENT = "residents.change_placement"
ASK_SITUATION = "residents.add_specialsituation"
CHANGE_SITUATION = "residents.change_specialsituation"
IMPORT = "imports.change_importrun"


def resident_perimeter(resident) -> list[Model | None]:
    """Its subdivision and region (faculty, ARS) and the person herself."""
    return [resident.subdivision, resident.subdivision.region, resident.person]


def placement_perimeter(placement) -> list[Model | None]:
    """The resident's, and the stage's site (its RTS, its hospital's DAM and director
    read the stages on it, as the list shows them)."""
    return [
        *resident_perimeter(placement.resident),
        *site_perimeter(placement.training_site),
    ]


def situation_perimeter(situation) -> list[Model | None]:
    """The resident's, and her current DES (her coordinator's opinion)."""
    enrolment = (
        Enrolment.objects.filter(
            resident_id=situation.resident_id, state=EnrolmentState.ACTIVE
        )
        .select_related("specialty")
        .order_by()
        .first()
    )
    return [
        *resident_perimeter(situation.resident),
        enrolment.specialty if enrolment else None,
    ]


def subdivision_perimeter(subdivision) -> list[Model | None]:
    return [subdivision, subdivision.region]


def require_each(
    by,
    permission: str,
    records: Iterable,
    perimeter: Callable[[object], Iterable[Model | None]],
    refusal: str,
) -> None:
    """`require` for many records at once: one refusal naming those refused
    (`refusal` has a %(names)s)."""
    refused = [str(r) for r in records if not may(by, permission, perimeter(r))]
    if refused:
        shown = ", ".join(refused[:10]) + ("…" if len(refused) > 10 else "")
        raise PermissionDenied(refusal % {"names": shown})


def require_change_residents(by, residents: Iterable[Resident]) -> None:
    """The path of each of these residents (juries, thesis, diploma, undo)."""
    require_each(
        by,
        CHANGE_RESIDENT,
        residents,
        resident_perimeter,
        _(
            "Votre fonction ne vous permet pas de modifier le parcours de : "
            "%(names)s (la scolarité de leur faculté le fait)."
        ),
    )


def require_create_resident(by, subdivision) -> None:
    require(
        by,
        CHANGE_RESIDENT,
        subdivision_perimeter(subdivision),
        _(
            "Votre fonction ne vous permet pas d'enregistrer un interne dans la "
            "subdivision %(subdivision)s."
        )
        % {"subdivision": subdivision},
    )


def require_add_placement(by, resident: Resident) -> None:
    require(
        by,
        ADD_PLACEMENT,
        resident_perimeter(resident),
        _("Votre fonction ne vous permet pas d'enregistrer un stage de %(name)s.")
        % {"name": resident},
    )


def require_validate_placements(by, residents: Iterable[Resident]) -> None:
    require_each(
        by,
        CHANGE_PLACEMENT,
        residents,
        resident_perimeter,
        _(
            "Votre fonction ne vous permet pas de valider les stages de : %(names)s "
            "(la scolarité de leur faculté le fait)."
        ),
    )


def require_ask_situation(by, resident: Resident) -> None:
    """The resident for herself, or who decides her requests (recording one)."""
    if may(by, ASK_SITUATION, resident_perimeter(resident)) or may(
        by, CHANGE_SITUATION, resident_perimeter(resident)
    ):
        return
    raise PermissionDenied(
        _("Votre fonction ne vous permet pas de déposer une demande pour %(name)s.")
        % {"name": resident}
    )


def require_situation_opinion(by, situation) -> None:
    require(
        by,
        CHANGE_SITUATION,
        situation_perimeter(situation),
        _("Votre fonction ne vous permet pas de donner un avis sur cette demande."),
    )


def require_situation_decision(by, situation) -> None:
    """The faculty registry of her subdivision or the ARS of its region."""
    require(
        by,
        CHANGE_SITUATION,
        resident_perimeter(situation.resident),
        _(
            "Votre fonction ne vous permet pas de décider de cette demande : la "
            "scolarité de la faculté ou l'ARS en décide."
        ),
    )


def require_withdraw_situation(by, situation) -> None:
    """Only the resident withdraws her own request."""
    require(
        by,
        ASK_SITUATION,
        [situation.resident.person],
        _("Seul l'interne qui l'a déposée peut retirer cette demande."),
    )


def require_import(by, subdivisions: Iterable) -> None:
    """Recovered residents or stages of these subdivisions."""
    require_each(
        by,
        IMPORT,
        subdivisions,
        subdivision_perimeter,
        _(
            "Votre fonction ne vous permet pas de reprendre les internes de : "
            "%(names)s."
        ),
    )


def document_issuable_residents(user) -> QuerySet[Resident]:
    """The residents whose official documents this user may issue."""
    if user is None or not user.is_authenticated:
        return Resident.objects.none()
    rules = resident_rules()
    condition = NOTHING
    for function in active_functions(user):
        if ISSUE_DOCUMENT not in ROLE_MODEL_PERMISSIONS[function.role]:
            continue
        kind = ROLE_PERIMETER[function.role]
        if kind == PerimeterKind.NATIONAL:
            condition = EVERYTHING
            break
        rule = rules.get(kind)
        if rule is not None:
            condition |= rule(function)
    return Resident.objects.filter(condition)


def may_issue_documents(user, resident: Resident) -> bool:
    return document_issuable_residents(user).filter(pk=resident.pk).exists()


def document_issue_refusal(user, resident: Resident) -> str | None:
    """Why this user may not issue this resident's documents (None: she may)."""
    if may_issue_documents(user, resident):
        return None
    return _(
        "Votre fonction ne permet pas de délivrer les documents officiels de cet "
        "interne : seuls la scolarité de sa faculté et l'interne lui-même les "
        "délivrent."
    )
