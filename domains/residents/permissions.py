"""Who may issue a resident's official documents.

Which roles issue is the roles table (`people/roles.py`, `residents.issue_document`);
on whom, the perimeter of the function holding it, read with the residents' perimeter
rules: the faculty registry for the residents of its subdivision, a resident for herself.
Each function is judged on its own, so a person's other functions lend it nothing.

Superuser status is deliberately no exception: a document attests for the faculty, and
UNESS, which runs the platform, is not one. Django's `has_perm` answers yes to a
superuser for everything, so this rule never asks it.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from domains.people.roles import ROLE_MODEL_PERMISSIONS, ROLE_PERIMETER, PerimeterKind
from domains.people.selectors import active_functions
from domains.referential.selectors import EVERYTHING, NOTHING

from .models import Resident
from .selectors import resident_rules

ISSUE_DOCUMENT = "residents.issue_document"


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
