"""Reads of residents and their path, scoped to who asks."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from domains.people.roles import PerimeterKind
from domains.referential.models import Semester
from domains.referential.selectors import perimeter_q

from .models import (
    Enrolment,
    EnrolmentState,
    PhasePeriod,
    Placement,
    Resident,
    SpecialSituation,
)
from .rules import PlacementFact, SituationFact, seniority


def _placed(**lookups) -> Q:
    return Q(Exists(Placement.objects.filter(resident_id=OuterRef("pk"), **lookups)))


def resident_rules(prefix: str = "") -> dict:
    """Who sees a resident (or a record reached through `prefix`, e.g. "resident__")."""
    p = prefix

    def through(q: Q) -> Q:
        if not p:
            return q
        return Q(**{f"{p}pk__in": Resident.objects.filter(q).values("pk")})

    return {
        PerimeterKind.REGION: lambda f: Q(
            **{f"{p}subdivision__region_id": f.region_id}
        ),
        PerimeterKind.SUBDIVISION: lambda f: Q(
            **{f"{p}subdivision_id": f.subdivision_id}
        ),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: through(
            Q(subdivision_id=f.subdivision_id)
            & Q(
                Exists(
                    Enrolment.objects.filter(
                        resident_id=OuterRef("pk"),
                        specialty_id=f.specialty_id,
                        state=EnrolmentState.ACTIVE,
                    )
                )
            )
        ),
        PerimeterKind.ESTABLISHMENT: lambda f: through(
            _placed(training_site__establishment_id=f.establishment_id)
        ),
        PerimeterKind.TRAINING_SITE: lambda f: through(
            _placed(training_site_id=f.training_site_id)
        ),
        PerimeterKind.SELF: lambda f: Q(**{f"{p}person_id": f.person_id}),
    }


def visible_residents(user) -> QuerySet[Resident]:
    return Resident.objects.filter(perimeter_q(user, resident_rules())).select_related(
        "person", "subdivision", "faculty"
    )


def residents_for_list(user) -> QuerySet[Resident]:
    """With the current enrolment and phase, in a bounded number of queries."""
    current = Enrolment.objects.filter(
        resident_id=OuterRef("pk"), state=EnrolmentState.ACTIVE
    )
    phase = PhasePeriod.objects.filter(
        enrolment__resident_id=OuterRef("pk"),
        enrolment__state=EnrolmentState.ACTIVE,
        actual_end__isnull=True,
    )
    return visible_residents(user).annotate(
        specialty_label=Subquery(current.values("specialty__label")[:1]),
        phase_label=Subquery(phase.values("phase__label")[:1]),
    )


def visible_placements(user) -> QuerySet[Placement]:
    rules = resident_rules("resident__")
    # The supervisor of a site sees the stages on his site, not the residents' others.
    rules[PerimeterKind.TRAINING_SITE] = lambda f: Q(
        training_site_id=f.training_site_id
    )
    rules[PerimeterKind.ESTABLISHMENT] = lambda f: Q(
        training_site__establishment_id=f.establishment_id
    )
    return Placement.objects.filter(perimeter_q(user, rules)).select_related(
        "resident__person",
        "semester",
        "training_site__establishment",
        "specialty",
        "phase",
    )


def visible_situations(user) -> QuerySet[SpecialSituation]:
    rules = resident_rules("resident__")
    for kind in (PerimeterKind.TRAINING_SITE, PerimeterKind.ESTABLISHMENT):
        rules.pop(kind)
    return SpecialSituation.objects.filter(perimeter_q(user, rules)).select_related(
        "resident__person", "resident__subdivision", "target_specialty"
    )


def current_enrolment(resident: Resident) -> Enrolment | None:
    return (
        resident.enrolments.filter(state=EnrolmentState.ACTIVE)
        .select_related("specialty", "option_or_fst", "start_semester")
        .first()
    )


def current_phase(enrolment: Enrolment | None) -> PhasePeriod | None:
    if enrolment is None:
        return None
    return (
        enrolment.phase_periods.filter(actual_end__isnull=True)
        .select_related("phase")
        .first()
    )


def placement_facts(placements) -> list[PlacementFact]:
    return [
        PlacementFact(
            start=p.semester.start_date,
            end=p.semester.end_date,
            phase=p.phase.code,
            validation=p.validation,
            r3c=p.mode == "r3c",
            place=str(p.training_site),
            specialty=p.specialty.label,
        )
        for p in placements
    ]


def situation_facts(situations) -> list[SituationFact]:
    return [
        SituationFact(
            kind=s.kind,
            status=s.status,
            start=s.start_date,
            end=s.end_date,
            leave_reason=s.leave_reason,
        )
        for s in situations
    ]


@dataclass
class Path:
    resident: Resident
    enrolment: Enrolment | None
    phase: PhasePeriod | None
    placements: list
    situations: list
    seniority: int
    current_semester: Semester | None
    next_semester: Semester | None
    enrolments: list


def resident_path(resident: Resident, today: date | None = None) -> Path:
    """Everything of the path, in a fixed number of queries."""
    today = today or timezone.localdate()
    placements = list(
        resident.placements.select_related(
            "semester", "training_site__establishment", "specialty", "phase", "post"
        ).order_by("semester__start_date")
    )
    situations = list(
        resident.situations.select_related("target_specialty", "target_subdivision")
        .prefetch_related("documents")
        .order_by("-start_date")
    )
    enrolments = list(
        resident.enrolments.select_related(
            "specialty", "option_or_fst", "start_semester"
        ).prefetch_related("phase_periods__phase")
    )
    enrolment = next((e for e in enrolments if e.state == EnrolmentState.ACTIVE), None)
    phase = (
        next((p for p in enrolment.phase_periods.all() if p.actual_end is None), None)
        if enrolment
        else None
    )
    semesters = list(
        Semester.objects.filter(end_date__gte=today).order_by("start_date")[:2]
    )
    current = semesters[0] if semesters and semesters[0].start_date <= today else None
    upcoming = [s for s in semesters if s.start_date > today]
    return Path(
        resident=resident,
        enrolment=enrolment,
        phase=phase,
        placements=placements,
        situations=situations,
        seniority=seniority(
            placement_facts(placements),
            situation_facts(situations),
            phase.phase.code if phase else "",
        ),
        current_semester=current,
        next_semester=upcoming[0] if upcoming else None,
        enrolments=enrolments,
    )
