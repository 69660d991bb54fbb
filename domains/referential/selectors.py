"""Reads of the referential, scoped to the perimeter of the person asking.

Perimeter rules are written with subqueries rather than joins on multi-valued relations,
so no `.distinct()` is needed and counts stay cheap at national scale.
"""

from collections.abc import Callable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from domains.cockpit.dates import shifted
from domains.people.roles import ROLE_PERIMETER, PerimeterKind
from domains.people.selectors import active_functions

from .models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    Establishment,
    Post,
    Region,
    Semester,
    Subdivision,
    TrainingSite,
)

Rule = Callable[[object], Q]
EVERYTHING = Q()
NOTHING = Q(pk__in=[])


def perimeter_q(user, rules: dict[str, Rule]) -> Q:
    """OR of the rule of each active function; national functions see everything.

    A perimeter kind with no rule for this kind of record sees none of it.
    """
    if not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    condition = NOTHING
    for function in active_functions(user):
        kind = ROLE_PERIMETER[function.role]
        if kind == PerimeterKind.NATIONAL:
            return EVERYTHING
        rule = rules.get(kind)
        if rule is not None:
            condition |= rule(function)
    return condition


def _sites_of_specialty(function) -> QuerySet:
    return Accreditation.objects.filter(specialty_id=function.specialty_id).values(
        "training_site_id"
    )


def site_rules(prefix: str = "") -> dict[str, Rule]:
    """Rules for a training site, or for a record reached through one (`prefix`)."""
    p = prefix
    return {
        PerimeterKind.REGION: lambda f: Q(
            **{f"{p}subdivision__region_id": f.region_id}
        ),
        PerimeterKind.SUBDIVISION: lambda f: Q(
            **{f"{p}subdivision_id": f.subdivision_id}
        ),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            **{
                f"{p}subdivision_id": f.subdivision_id,
                f"{p}pk__in": _sites_of_specialty(f),
            }
        ),
        PerimeterKind.ESTABLISHMENT: lambda f: (
            Q(**{f"{p}establishment_id": f.establishment_id})
            | Q(**{f"{p}establishment__parent_id": f.establishment_id})
        ),
        PerimeterKind.TRAINING_SITE: lambda f: Q(**{f"{p}pk": f.training_site_id}),
    }


def visible_training_sites(user) -> QuerySet[TrainingSite]:
    return TrainingSite.objects.filter(perimeter_q(user, site_rules())).select_related(
        "establishment", "subdivision"
    )


def visible_establishments(user) -> QuerySet[Establishment]:
    def having_sites(**lookups) -> QuerySet:
        return TrainingSite.objects.filter(**lookups).values("establishment_id")

    rules = {
        PerimeterKind.REGION: lambda f: Q(region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(
            pk__in=having_sites(subdivision_id=f.subdivision_id)
        ),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            pk__in=having_sites(
                subdivision_id=f.subdivision_id, pk__in=_sites_of_specialty(f)
            )
        ),
        PerimeterKind.ESTABLISHMENT: lambda f: (
            Q(pk=f.establishment_id) | Q(parent_id=f.establishment_id)
        ),
        PerimeterKind.TRAINING_SITE: lambda f: Q(
            pk__in=having_sites(pk=f.training_site_id)
        ),
    }
    return Establishment.objects.filter(perimeter_q(user, rules)).select_related(
        "region", "parent"
    )


def through_site_rules() -> dict[str, Rule]:
    """Accreditations and posts: by their site; a coordinator sees his specialty only."""
    rules = site_rules("training_site__")
    rules[PerimeterKind.SPECIALTY_IN_SUBDIVISION] = lambda f: Q(
        training_site__subdivision_id=f.subdivision_id, specialty_id=f.specialty_id
    )
    return rules


def visible_accreditations(user) -> QuerySet[Accreditation]:
    return (
        Accreditation.objects.filter(perimeter_q(user, through_site_rules()))
        .select_related("training_site__subdivision", "specialty", "supervisor")
        .prefetch_related("phases")
    )


def visible_posts(user) -> QuerySet[Post]:
    return Post.objects.filter(perimeter_q(user, through_site_rules())).select_related(
        "semester", "training_site__subdivision", "specialty", "phase"
    )


def accreditations_in_force(
    *, training_site, specialty, phase, semester: Semester
) -> QuerySet[Accreditation]:
    """The active accreditations of a site covering the semester's first day for this
    DES and phase."""
    return Accreditation.objects.filter(
        training_site=training_site,
        specialty=specialty,
        phases=phase,
        state__in=ACTIVE_ACCREDITATION_STATES,
        start_date__lte=semester.start_date,
        end_date__gte=semester.start_date,
    )


def site_is_accredited(*, training_site, specialty, phase, semester: Semester) -> bool:
    """True when an active accreditation covers the semester's first day for this phase."""
    return accreditations_in_force(
        training_site=training_site,
        specialty=specialty,
        phase=phase,
        semester=semester,
    ).exists()


def current_semester(day=None) -> Semester | None:
    day = day or timezone.localdate()
    return Semester.objects.filter(start_date__lte=day, end_date__gte=day).first()


def renewal_horizon(today: date | None = None) -> date:
    """Accreditations ending before this day are to renew (within 12 months)."""
    today = today or timezone.localdate()
    return shifted(today, months=12)


def accreditations_valid_today(
    queryset: QuerySet[Accreditation], today: date | None = None
) -> QuerySet[Accreditation]:
    """Under which a site may receive residents today."""
    today = today or timezone.localdate()
    return queryset.filter(
        state__in=ACTIVE_ACCREDITATION_STATES,
        start_date__lte=today,
        end_date__gte=today,
    )


def accreditations_to_renew(
    queryset: QuerySet[Accreditation],
) -> QuerySet[Accreditation]:
    today = timezone.localdate()
    return queryset.filter(
        state__in=ACTIVE_ACCREDITATION_STATES,
        end_date__gte=today,
        end_date__lte=renewal_horizon(today),
    )


def perimeter_regions(user) -> QuerySet[Region]:
    """Regions in which the user may create records (national roles: all)."""
    return Region.objects.filter(
        perimeter_q(user, {PerimeterKind.REGION: lambda f: Q(pk=f.region_id)})
    )


def perimeter_subdivisions(user) -> QuerySet[Subdivision]:
    return Subdivision.objects.filter(
        perimeter_q(
            user,
            {
                PerimeterKind.REGION: lambda f: Q(region_id=f.region_id),
                PerimeterKind.SUBDIVISION: lambda f: Q(pk=f.subdivision_id),
                PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
                    pk=f.subdivision_id
                ),
            },
        )
    )


def search_training_sites(query: str, *, limit: int = 20) -> QuerySet[TrainingSite]:
    """Active sites matching every word (name, department, establishment, city, FINESS).

    Public: the account request form lets a newcomer find his site.
    """
    condition = Q(is_active=True)
    for word in query.split():
        condition &= (
            Q(name__icontains=word)
            | Q(department__icontains=word)
            | Q(establishment__name__icontains=word)
            | Q(establishment__city__icontains=word)
            | Q(establishment__finess=word)
        )
    found = list(
        TrainingSite.objects.filter(condition).values_list("pk", flat=True)[:limit]
    )
    return TrainingSite.objects.filter(pk__in=found).select_related(
        "establishment", "subdivision"
    )
