"""The last ranks admitted per DES, subdivision and cohort (the registry enters them),
and the droit au remords checked against them.

Reads only: the writes are services.last_admitted_rank_*; the comparison itself is
rules.remorse_rank_check.
"""

from django.db.models import Q, QuerySet

from domains.people.roles import PerimeterKind
from domains.referential.selectors import perimeter_q

from . import rules
from .models import LastAdmittedRank, RankingKind, Resident


def _rules() -> dict:
    return {
        PerimeterKind.REGION: lambda f: Q(subdivision__region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(subdivision_id=f.subdivision_id),
    }


def visible_last_admitted_ranks(user) -> QuerySet[LastAdmittedRank]:
    """The registry's subdivision, the ARS's region, everything nationally."""
    return LastAdmittedRank.objects.filter(perimeter_q(user, _rules())).select_related(
        "specialty", "subdivision__region"
    )


def last_admitted_rank_perimeter(record: LastAdmittedRank) -> list:
    return [record.subdivision, record.subdivision.region]


def _ranking_label(kind: str) -> str:
    label = str(RankingKind(kind).label) if kind in RankingKind.values else kind
    return label[:1].lower() + label[1:]


def remorse_rank_check(resident: Resident, specialty) -> rules.RankCheck:
    """Would her national rank have given access to `specialty` in her subdivision,
    in her cohort, for her kind of ranking?"""
    percentage = resident.ranking_kind == RankingKind.PERCENTAGE
    recorded = LastAdmittedRank.objects.filter(
        specialty=specialty,
        subdivision_id=resident.subdivision_id,
        cohort=resident.cohort,
        ranking_kind=resident.ranking_kind,
    ).first()
    last = None
    if recorded is not None:
        last = recorded.last_percentage if percentage else recorded.last_rank
    return rules.remorse_rank_check(
        rank=resident.rank_percentage if percentage else resident.national_rank,
        last=last,
        percentage=percentage,
        specialty=specialty.label,
        subdivision=resident.subdivision.name,
        cohort=resident.cohort,
        ranking=_ranking_label(resident.ranking_kind),
    )
