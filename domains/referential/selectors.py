"""Reads of the referential, scoped to the perimeters of the person asking."""

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils import timezone

from domains.people.roles import ROLE_PERIMETER, PerimeterKind
from domains.people.selectors import active_functions

from .models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    Establishment,
    Post,
    Semester,
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


def _site_rules(prefix: str = "") -> dict[str, Rule]:
    """Rules for anything reached through a training site (prefix = path to the site)."""
    return {
        PerimeterKind.REGION: lambda f: Q(
            **{f"{prefix}subdivision__region_id": f.region_id}
        ),
        PerimeterKind.SUBDIVISION: lambda f: Q(
            **{f"{prefix}subdivision_id": f.subdivision_id}
        ),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            **{
                f"{prefix}subdivision_id": f.subdivision_id,
                f"{prefix}accreditations__specialty_id": f.specialty_id,
            }
        ),
        PerimeterKind.ESTABLISHMENT: lambda f: (
            Q(**{f"{prefix}establishment_id": f.establishment_id})
            | Q(**{f"{prefix}establishment__parent_id": f.establishment_id})
        ),
        PerimeterKind.TRAINING_SITE: lambda f: Q(**{f"{prefix}pk": f.training_site_id}),
        # Residents look for stages anywhere (interCHU included): active sites only.
        PerimeterKind.SELF: lambda f: Q(**{f"{prefix}is_active": True}),
    }


def visible_training_sites(user) -> QuerySet[TrainingSite]:
    return (
        TrainingSite.objects.filter(perimeter_q(user, _site_rules()))
        .distinct()
        .select_related("establishment", "subdivision")
    )


def visible_establishments(user) -> QuerySet[Establishment]:
    rules = {
        PerimeterKind.REGION: lambda f: Q(region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(
            training_sites__subdivision_id=f.subdivision_id
        ),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            training_sites__subdivision_id=f.subdivision_id,
            training_sites__accreditations__specialty_id=f.specialty_id,
        ),
        PerimeterKind.ESTABLISHMENT: lambda f: (
            Q(pk=f.establishment_id) | Q(parent_id=f.establishment_id)
        ),
        PerimeterKind.TRAINING_SITE: lambda f: Q(training_sites=f.training_site_id),
    }
    return (
        Establishment.objects.filter(perimeter_q(user, rules))
        .distinct()
        .select_related("region", "parent")
    )


def _narrow_to_specialty(rules: dict[str, Rule]) -> dict[str, Rule]:
    """A coordinator sees the accreditations and posts of his own specialty only."""
    return {
        **rules,
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            training_site__subdivision_id=f.subdivision_id, specialty_id=f.specialty_id
        ),
    }


def visible_accreditations(user) -> QuerySet[Accreditation]:
    rules = _narrow_to_specialty(_site_rules("training_site__"))
    rules.pop(PerimeterKind.SELF)
    return (
        Accreditation.objects.filter(perimeter_q(user, rules))
        .distinct()
        .select_related("training_site", "specialty", "supervisor")
        .prefetch_related("phases")
    )


def visible_posts(user) -> QuerySet[Post]:
    rules = _narrow_to_specialty(_site_rules("training_site__"))
    return (
        Post.objects.filter(perimeter_q(user, rules))
        .distinct()
        .select_related("semester", "training_site", "specialty", "phase")
    )


def site_is_accredited(*, training_site, specialty, phase, semester: Semester) -> bool:
    """True when an active accreditation covers the semester's first day for this phase."""
    return Accreditation.objects.filter(
        training_site=training_site,
        specialty=specialty,
        phases=phase,
        state__in=ACTIVE_ACCREDITATION_STATES,
        start_date__lte=semester.start_date,
        end_date__gte=semester.start_date,
    ).exists()


def current_semester(day=None) -> Semester | None:
    day = day or timezone.localdate()
    return Semester.objects.filter(start_date__lte=day, end_date__gte=day).first()
