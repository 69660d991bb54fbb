"""Reads of residents and their path, scoped to who asks."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.people.models import Function
from domains.people.roles import PerimeterKind
from domains.people.selectors import active_on
from domains.referential.models import ACTIVE_ACCREDITATION_STATES, Phase, Semester
from domains.referential.selectors import (
    accreditations_to_renew,
    perimeter_q,
    visible_accreditations,
    visible_posts,
    visible_training_sites,
)

from . import rules
from .models import (
    Enrolment,
    EnrolmentState,
    PhasePeriod,
    Placement,
    PlacementMode,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
    Validation,
)
from .rules import PlacementFact, SituationFact, SpecialtyFact, seniority


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
    """With the current enrolment and phase, in a bounded number of queries.

    Each subquery reads one row through a unique index (one active enrolment per
    resident, one open phase per enrolment): unordered, since the models' default
    orderings would join the person and the semester into every row's subplan."""
    current = Enrolment.objects.filter(
        resident_id=OuterRef("pk"), state=EnrolmentState.ACTIVE
    ).order_by()
    phase = PhasePeriod.objects.filter(
        enrolment__resident_id=OuterRef("pk"),
        enrolment__state=EnrolmentState.ACTIVE,
        actual_end__isnull=True,
    ).order_by()
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
            r3c=p.mode == PlacementMode.R3C,
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


# Ids per query: under SQLite's limit of bound parameters, whatever the selection.
CHUNK = 900


def chunks(ids: list[int]):
    """These ids, 900 at a time."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def specialty_fact(specialty) -> SpecialtyFact:
    return SpecialtyFact(
        code=specialty.code,
        label=specialty.label,
        semesters=specialty.duration_semesters,
        surgical=specialty.surgical,
    )


@dataclass
class PhaseState:
    """A resident before a jury: her current enrolment, open phase and stages."""

    resident: Resident
    enrolment: Enrolment | None
    phase: PhasePeriod | None
    placements: list[PlacementFact]

    @property
    def required(self) -> int:
        """Validated semesters the open phase needs (training plans will give theirs
        to `rules.phase_minimum` here, as `plan_minimum`)."""
        return rules.phase_minimum(
            self.phase.phase.code, specialty_fact(self.enrolment.specialty)
        )

    def broken_rule(self) -> str | None:
        """The sentence of the rule her open phase breaks if validated (None: none)."""
        if self.phase is None:
            return _("Pas de phase en cours.")
        return rules.phase_change_refusal(
            self.placements,
            self.phase.phase.code,
            required=self.required,
            specialty=self.enrolment.specialty.label,
            phase_label=self.phase.phase.label,
        )

    def refusal(self) -> str | None:
        """Why a jury may not validate her open phase, naming her (None: it may)."""
        broken = self.broken_rule()
        return f"{self.resident} — {broken}" if broken else None

    def note(self) -> str:
        """What the jury's confirmation page says of her: may her phase be validated,
        and if not, why."""
        broken = self.broken_rule()
        if broken:
            return _("Validation impossible — %s") % broken
        progress = rules.phase_progress(
            self.placements,
            self.phase.phase.code,
            required=self.required,
            label=self.phase.phase.label,
        )
        return _("Validation possible — %s.") % progress


def current_enrolments(residents) -> dict[int, Enrolment]:
    """The residents' current enrolments (with their DES), by resident id."""
    return {
        enrolment.resident_id: enrolment
        for chunk in chunks([r.pk for r in residents])
        for enrolment in Enrolment.objects.filter(
            resident_id__in=chunk, state=EnrolmentState.ACTIVE
        )
        .select_related("specialty")
        .order_by()
    }


def phase_states(residents) -> list[PhaseState]:
    """The residents' current enrolments, open phases and stages: three queries per
    900 residents, whatever their number of stages."""
    residents = list(residents)
    ids = [r.pk for r in residents]
    enrolments = current_enrolments(residents)
    phases, placements = {}, defaultdict(list)
    for chunk in chunks(ids):
        for period in (
            PhasePeriod.objects.filter(
                enrolment__resident_id__in=chunk,
                enrolment__state=EnrolmentState.ACTIVE,
                actual_end__isnull=True,
            )
            .select_related("phase")
            .order_by()
        ):
            phases[period.enrolment_id] = period
        for row in (
            Placement.objects.filter(resident_id__in=chunk)
            .order_by("semester__start_date")
            .values_list(
                "resident_id",
                "semester__start_date",
                "semester__end_date",
                "phase__code",
                "validation",
                "mode",
                "training_site__name",
                "specialty__label",
            )
        ):
            resident_id, start, end, phase, validation, mode, place, label = row
            placements[resident_id].append(
                PlacementFact(
                    start=start,
                    end=end,
                    phase=phase,
                    validation=validation,
                    r3c=mode == PlacementMode.R3C,
                    place=place,
                    specialty=label,
                )
            )
    states = []
    for resident in residents:
        enrolment = enrolments.get(resident.pk)
        states.append(
            PhaseState(
                resident=resident,
                enrolment=enrolment,
                phase=phases.get(enrolment.pk) if enrolment else None,
                placements=placements[resident.pk],
            )
        )
    return states


def phase_seniorities(
    residents: QuerySet[Resident], phases: dict[int, int]
) -> dict[int, int]:
    """Each resident's seniority in the phase given for her (`phases`: resident id →
    phase id; the call lists give the phase she chooses in, a phase just begun
    holding none of her stages): whole validated semesters there, a stage lost to an
    approved maternity leave counting too (rules.seniority). Three queries of plain
    rows for any number of residents: what the call lists of a subdivision (5,600
    residents, 12,000 stages) are computed from."""
    ids = residents.values("pk")
    codes = dict(Phase.objects.values_list("pk", "code"))
    # The semesters' dates read once, not joined and parsed on each stage.
    dates = {
        pk: (start, end)
        for pk, start, end in Semester.objects.values_list(
            "pk", "start_date", "end_date"
        )
    }
    stages = defaultdict(list)
    for resident_id, semester_id, phase_id, validation in (
        Placement.objects.filter(resident__in=ids, mode=PlacementMode.R3C)
        .exclude(validation=Validation.PENDING)
        .order_by()
        .values_list("resident_id", "semester_id", "phase_id", "validation")
    ):
        if phase_id == phases.get(resident_id):
            stages[resident_id].append(
                PlacementFact(*dates[semester_id], codes[phase_id], validation)
            )
    maternity = defaultdict(list)
    for resident_id, start, end in (
        SpecialSituation.objects.filter(
            resident__in=ids,
            kind=SituationKind.MATERNITY,
            status=SituationStatus.APPROVED,
        )
        .order_by()
        .values_list("resident_id", "start_date", "end_date")
    ):
        maternity[resident_id].append(
            SituationFact(SituationKind.MATERNITY, SituationStatus.APPROVED, start, end)
        )
    return {
        resident_id: seniority(
            stages[resident_id], maternity[resident_id], codes.get(phase_id, "")
        )
        for resident_id, phase_id in phases.items()
    }


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


@dataclass
class HospitalDashboard:
    """Tableau de bord CH/CHU: an establishment's accreditations, sites and their
    people, residents placed this semester and next (a summary, not their files),
    posts opened. Everything read through the perimeter selectors."""

    establishment: object | None
    accreditations: list
    to_renew: set[int]
    sites: list  # [(site, [function…])]
    semesters: list  # [(semester, [placement…], [post…], seats)]


def hospital_dashboard(user, establishment) -> HospitalDashboard:
    today = timezone.localdate()
    accreditations = list(
        visible_accreditations(user)
        .filter(end_date__gte=today, state__in=ACTIVE_ACCREDITATION_STATES)
        .select_related("training_site", "specialty", "supervisor")
        .prefetch_related("phases")
        .order_by("training_site__name", "specialty__label")
    )
    to_renew = set(
        accreditations_to_renew(visible_accreditations(user)).values_list(
            "pk", flat=True
        )
    )
    sites = list(visible_training_sites(user).filter(is_active=True).order_by("name"))
    people = defaultdict(list)
    for function in (
        Function.objects.filter(active_on(today), training_site__in=sites)
        .select_related("person")
        .order_by("role", "person__last_name")
    ):
        people[function.training_site_id].append(function)
    semesters = list(
        Semester.objects.filter(end_date__gte=today).order_by("start_date")[:2]
    )
    placements = defaultdict(list)
    for placement in (
        visible_placements(user)
        .filter(semester__in=semesters)
        .order_by("training_site__name", "resident__person__last_name")
    ):
        placements[placement.semester_id].append(placement)
    posts = defaultdict(list)
    for post in (
        visible_posts(user)
        .filter(semester__in=semesters)
        .select_related("training_site", "specialty", "phase")
        .order_by("training_site__name", "specialty__label")
    ):
        posts[post.semester_id].append(post)
    return HospitalDashboard(
        establishment=establishment,
        accreditations=accreditations,
        to_renew=to_renew,
        sites=[(site, people[site.pk]) for site in sites],
        semesters=[
            (
                s,
                placements[s.pk],
                posts[s.pk],
                sum(p.seats for p in posts[s.pk]),
            )
            for s in semesters
        ],
    )
