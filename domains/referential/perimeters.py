"""A regional campaign's perimeter, for every domain that runs one (accreditation,
matching): a campaign is any record with a `region`.

Its ARS runs it; the region's faculties, coordinators and residents' representatives
follow it. `campaign_perimeter` is what the cockpit screens (and the permissions)
check on one campaign, `campaign_rules` what the selectors filter on.
"""

from __future__ import annotations

from django.db.models import Model, Q

from domains.people.roles import PerimeterKind

from .models import Subdivision


def campaign_perimeter(campaign) -> list:
    """Its region (ARS) and the region's subdivisions (faculties, coordinators)."""
    return [campaign.region, *campaign.region.subdivisions.all()]


def _region_of_subdivision(function) -> Q:
    return Q(
        region_id__in=Subdivision.objects.filter(pk=function.subdivision_id).values(
            "region_id"
        )
    )


def campaign_rules(by_specialty: type[Model] | None = None) -> dict:
    """`perimeter_q` rules for campaigns: an ARS, its region; a subdivision's people
    (faculty registry, residents' representatives, coordinators), the region of
    their subdivision. With `by_specialty` (the campaign model, with `specialties`),
    a coordinator sees only the campaigns that name her specialty."""

    def coordinator(function) -> Q:
        found = _region_of_subdivision(function)
        if by_specialty is not None:
            # A subquery, not a join: a join would multiply the campaign's counts.
            found &= Q(
                pk__in=by_specialty.objects.filter(
                    specialties=function.specialty_id
                ).values("pk")
            )
        return found

    return {
        PerimeterKind.REGION: lambda function: Q(region_id=function.region_id),
        PerimeterKind.SUBDIVISION: _region_of_subdivision,
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: coordinator,
    }
