from django.db.models import Q, QuerySet

from domains.people.roles import PerimeterKind
from domains.people.selectors import active_functions
from domains.referential.selectors import perimeter_q

from .models import ImportRun, PersonProposal


def visible_import_runs(user) -> QuerySet[ImportRun]:
    """An ARS agent sees her region's imports; national functions see them all."""
    rules = {PerimeterKind.REGION: lambda f: Q(region_id=f.region_id)}
    return ImportRun.objects.filter(perimeter_q(user, rules)).select_related(
        "region", "by", "committed_by"
    )


def import_region_of(user):
    """The region an ARS agent imports for (None for a national function)."""
    for function in active_functions(user):
        if function.region_id:
            return function.region
    return None


def visible_person_proposals(user) -> QuerySet[PersonProposal]:
    rules = {PerimeterKind.REGION: lambda f: Q(region_id=f.region_id)}
    return PersonProposal.objects.filter(perimeter_q(user, rules)).select_related(
        "training_site", "region", "person"
    )
