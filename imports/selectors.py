from django.db.models import Q, QuerySet

from domains.people.roles import PerimeterKind, role_permissions
from domains.people.selectors import active_functions
from domains.referential.selectors import perimeter_q

from .models import ImportRun, PersonProposal
from .permissions import IMPORT


def visible_import_runs(user) -> QuerySet[ImportRun]:
    """An ARS agent sees her region's imports, a faculty registry her subdivision's;
    national functions see them all."""
    rules = {
        PerimeterKind.REGION: lambda f: Q(region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(subdivision_id=f.subdivision_id),
    }
    return ImportRun.objects.filter(perimeter_q(user, rules)).select_related(
        "region", "by", "committed_by"
    )


def import_region_of(user):
    """The region an ARS agent imports for (None for a national function)."""
    for function in active_functions(user):
        if function.region_id:
            return function.region
    return None


def import_scope_of(user) -> tuple:
    """(region, subdivision) an agent imports for: an ARS her region, a faculty
    registry her subdivision (and its region); (None, None) for a national one."""
    for function in active_functions(user):
        if IMPORT not in role_permissions(function.role):
            continue
        if function.region_id:
            return function.region, None
        if function.subdivision_id:
            return function.subdivision.region, function.subdivision
    return None, None


def visible_person_proposals(user) -> QuerySet[PersonProposal]:
    rules = {PerimeterKind.REGION: lambda f: Q(region_id=f.region_id)}
    return PersonProposal.objects.filter(perimeter_q(user, rules)).select_related(
        "training_site", "region", "person"
    )
