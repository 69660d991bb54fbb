from django.db.models import Q, QuerySet

from domains.people.roles import PerimeterKind
from domains.referential.models import Subdivision
from domains.referential.selectors import perimeter_q

from .models import AccountRequest, ReconciliationCase


def visible_account_requests(user) -> QuerySet[AccountRequest]:
    """Requests about sites of my region or subdivision (or, unlisted, of my region)."""
    rules = {
        PerimeterKind.REGION: lambda f: Q(region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: (
            Q(training_site__subdivision_id=f.subdivision_id)
            # Unlisted: in the subdivision's region (a subquery, not a join through
            # the region's subdivisions, which repeated every request per subdivision).
            | Q(
                training_site__isnull=True,
                region_id=Subdivision.objects.filter(pk=f.subdivision_id).values(
                    "region_id"
                )[:1],
            )
        ),
    }
    return AccountRequest.objects.filter(perimeter_q(user, rules)).select_related(
        "region", "training_site__subdivision", "person", "decided_by"
    )


def visible_reconciliation_cases(user) -> QuerySet[ReconciliationCase]:
    """National work: only national functions see them (the role permission narrows
    it to UNESS admins)."""
    return ReconciliationCase.objects.filter(perimeter_q(user, {})).select_related(
        "person", "resolved_by"
    )
