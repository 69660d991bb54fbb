"""Demo residents with consistent paths: enrolments, phases, stages on accredited sites,
and a realistic share of special situations. Bulk-written: ~43,000 residents nationally."""

from collections import defaultdict
from datetime import timedelta

from simple_history.utils import bulk_create_with_history

from domains.cockpit.dates import period_end
from domains.people.roles import Role
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Faculty,
    SpecialtyKind,
)
from domains.residents.models import (
    Enrolment,
    EnrolmentState,
    JuryDecision,
    LeaveReason,
    PhasePeriod,
    Placement,
    PlacementKind,
    PlacementMode,
    RankingKind,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
    Validation,
)

from .accounts import demo_email

BATCH = 4000
# General practice trains about 4 residents in 10.
SPECIALTY_WEIGHTS = {"DES-MGE": 40.0}
REASONS = [
    "Objectifs pédagogiques non atteints.",
    "Absences répétées, évaluation insuffisante.",
    "Comportement professionnel inadapté relevé par le RTS.",
]


def _ranking(cohort: int) -> str:
    if cohort <= 2023:
        return RankingKind.ECN
    if cohort == 2024:
        return RankingKind.PERCENTAGE
    return RankingKind.SPECIALTY_GROUP


class ResidentsBuilder:
    def __init__(self, base):
        self.base = base
        self.rng = base.rng
        self.today = base.today
        self.semesters = sorted(
            (s for s in base.semesters if s.start_date <= self.today),
            key=lambda s: s.start_date,
        )
        self.phases = {p.code: p for p in base.phases}
        self.des = [
            s
            for s in base.specialties
            if s.kind in (SpecialtyKind.DES, SpecialtyKind.CO_DES)
        ]
        self.weights = [SPECIALTY_WEIGHTS.get(s.code, 1.0) for s in self.des]
        self.faculty = {f.subdivision_id: f for f in Faculty.objects.order_by("-pk")}
        site_subdivision = {site.pk: site.subdivision_id for site in base.sites}
        # Accredited sites by (subdivision, specialty, phase), and by (subdivision, phase).
        self.accredited = defaultdict(list)
        self.any_accredited = defaultdict(list)
        for accreditation, phases in base.accreditations:
            if accreditation.state not in ACTIVE_ACCREDITATION_STATES:
                continue
            subdivision = site_subdivision[accreditation.training_site_id]
            for phase in phases:
                self.accredited[
                    (subdivision, accreditation.specialty_id, phase.code)
                ].append(accreditation.training_site_id)
                self.any_accredited[(subdivision, phase.code)].append(
                    (accreditation.training_site_id, accreditation.specialty_id)
                )
        self.sites_of = defaultdict(list)
        for site in base.sites:
            self.sites_of[site.subdivision_id].append(site.pk)

    def _phase_plan(self, specialty) -> list[str]:
        consolidation = 4 if specialty.surgical else 2
        socle = 2
        deep = max(2, specialty.duration_semesters - socle - consolidation)
        return (
            ["socle"] * socle
            + ["approfondissement"] * deep
            + ["consolidation"] * consolidation
        )

    def _site(
        self, subdivision_id: int, specialty_id: int, phase: str, *, own: bool = False
    ):
        """(site, specialty, kind, mode): in the specialty when possible (`own`: always
        when a site is accredited for it, as the demo resident's path)."""
        here = self.accredited.get((subdivision_id, specialty_id, phase))
        if here and (own or self.rng.random() < 0.85):
            return self.rng.choice(here), specialty_id, PlacementKind.SPECIALTY, "r3c"
        other = self.any_accredited.get((subdivision_id, phase))
        if other:
            site, other_specialty = self.rng.choice(other)
            kind = (
                PlacementKind.SPECIALTY
                if other_specialty == specialty_id
                else PlacementKind.OTHER_SPECIALTY
            )
            return site, other_specialty, kind, "r3c"
        return (
            self.rng.choice(self.sites_of[subdivision_id]),
            specialty_id,
            PlacementKind.FREE,
            PlacementMode.ARCHIVE,
        )

    def build(self) -> dict[str, int]:
        rng, today = self.rng, self.today
        demo = demo_email(Role.RESIDENT)
        cardiology = next((s for s in self.des if s.code == "DES-MCA"), self.des[0])
        residents, plans = [], []
        for person, subdivision in self.base.resident_persons:
            is_demo = person.user.email == demo
            specialty = (
                cardiology
                if is_demo
                else rng.choices(self.des, weights=self.weights)[0]
            )
            plan = self._phase_plan(specialty)
            # Start semesters still within the training (older cohorts have graduated).
            startable = [s for s in self.semesters if s.season == "winter"][
                -((len(plan) + 1) // 2) :
            ]
            start = startable[-3] if is_demo else rng.choice(startable)
            cohort = start.year
            residents.append(
                Resident(
                    person=person,
                    faculty=self.faculty[subdivision.pk],
                    subdivision=subdivision,
                    cohort=cohort,
                    ranking_kind=_ranking(cohort),
                    national_rank=rng.randint(1, 9000) if cohort != 2024 else None,
                    rank_percentage=round(rng.uniform(0, 100), 2)
                    if cohort == 2024
                    else None,
                    cesp=rng.random() < 0.05,
                )
            )
            plans.append((specialty, plan, start, is_demo))
        bulk_create_with_history(residents, Resident, batch_size=BATCH)

        enrolments, periods, placements, situations = [], [], [], []
        lyon = next(s.pk for s in self.base.subdivisions if s.code == "LYON")
        lyon_current = []  # (semesters done in the phase, its period)
        for resident, (specialty, plan, start, is_demo) in zip(
            residents, plans, strict=True
        ):
            old = None
            remorse_day = start.start_date + timedelta(days=330)
            if not is_demo and remorse_day < today and rng.random() < 0.02:
                # Droit au remords exercised after the socle: an earlier DES left.
                old = rng.choice(self.des)
            enrolment = Enrolment(
                resident=resident, specialty=specialty, start_semester=start
            )
            enrolments.append(enrolment)
            if old is not None and old.pk != specialty.pk:
                enrolments.append(
                    Enrolment(
                        resident=resident,
                        specialty=old,
                        start_semester=start,
                        state=EnrolmentState.CHANGED,
                        ended_on=start.start_date + timedelta(days=364),
                    )
                )
                situations.append(
                    SpecialSituation(
                        resident=resident,
                        kind=SituationKind.SPECIALTY_CHANGE,
                        start_date=remorse_day,
                        end_date=remorse_day,
                        status=SituationStatus.APPROVED,
                        target_specialty=specialty,
                        motive="Réorientation après la phase socle.",
                    )
                )
            followed = [s for s in self.semesters if s.start_date >= start.start_date]
            leave_at = (
                rng.randrange(2, len(followed))
                if len(followed) > 3 and rng.random() < 0.04 and not is_demo
                else None
            )
            phase_spans: dict[str, list] = defaultdict(list)
            step = 0
            for index, semester in enumerate(followed):
                if index == leave_at:
                    situations.append(
                        SpecialSituation(
                            resident=resident,
                            kind=SituationKind.LEAVE,
                            leave_reason=rng.choice(LeaveReason.values),
                            start_date=semester.start_date,
                            end_date=semester.end_date,
                            status=SituationStatus.APPROVED,
                        )
                    )
                    continue
                phase = plan[min(step, len(plan) - 1)]
                step += 1
                phase_spans[phase].append(semester)
                current = semester.end_date >= today
                site, placed_specialty, kind, mode = self._site(
                    resident.subdivision_id, specialty.pk, phase, own=is_demo
                )
                roll = rng.random()
                if current:
                    validation, reasons = Validation.PENDING, ""
                elif roll < 0.02:
                    validation, reasons = Validation.NOT_VALIDATED, rng.choice(REASONS)
                else:
                    validation, reasons = Validation.VALIDATED, ""
                placements.append(
                    Placement(
                        resident=resident,
                        semester=semester,
                        training_site_id=site,
                        specialty_id=placed_specialty,
                        phase=self.phases[phase],
                        kind=kind,
                        validation=validation,
                        validation_reasons=reasons,
                        absence_days=rng.choice([0, 0, 0, 0, 3, 10]),
                        mode=mode,
                        archive_reason="Reprise : terrain sans agrément R3C"
                        if mode == PlacementMode.ARCHIVE
                        else "",
                    )
                )
                if current and rng.random() < 0.015:
                    situations.append(
                        SpecialSituation(
                            resident=resident,
                            kind=rng.choice(
                                [
                                    SituationKind.SUPERNUMERARY_VALIDATING,
                                    SituationKind.SUPERNUMERARY_NON_VALIDATING,
                                    SituationKind.MATERNITY,
                                ]
                            ),
                            start_date=semester.start_date,
                            end_date=semester.end_date,
                            status=SituationStatus.APPROVED,
                        )
                    )
            spans = list(phase_spans.items())
            for i, (phase, semesters_in) in enumerate(spans):
                last = i == len(spans) - 1
                begin = semesters_in[0].start_date
                planned = period_end(
                    semesters_in[0].start_date, months=6 * plan.count(phase)
                )
                periods.append(
                    PhasePeriod(
                        enrolment=enrolment,
                        phase=self.phases[phase],
                        start_date=begin,
                        planned_end=planned,
                        actual_end=None if last else semesters_in[-1].end_date,
                        jury_date=None
                        if last
                        else semesters_in[-1].end_date - timedelta(days=20),
                        jury_decision="" if last else JuryDecision.VALIDATED,
                    )
                )
                if last and resident.subdivision_id == lyon:
                    lyon_current.append((len(semesters_in), periods[-1]))
        # The Lyon residents furthest into their phase end it within three months
        # (a phase shifted off the semesters by an earlier leave): the faculty's next
        # jury has residents to decide, and its sheet rows.
        lyon_current.sort(key=lambda item: -item[0])
        for _done, period in lyon_current[:4]:
            period.planned_end = today + timedelta(days=rng.randint(30, 80))
        if self.base.resident_persons:
            demo_resident = next(
                r for r, plan in zip(residents, plans, strict=True) if plan[3]
            )
            situations.append(
                SpecialSituation(
                    resident=demo_resident,
                    kind=SituationKind.SUPERNUMERARY_VALIDATING,
                    start_date=self.semesters[-1].end_date + timedelta(days=1),
                    end_date=period_end(
                        self.semesters[-1].end_date + timedelta(days=1), months=6
                    ),
                    motive="Grossesse : demande de surnombre validant.",
                )
            )
        bulk_create_with_history(enrolments, Enrolment, batch_size=BATCH)
        PhasePeriod.objects.bulk_create(periods, batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        bulk_create_with_history(situations, SpecialSituation, batch_size=BATCH)
        return {
            "internes": len(residents),
            "stages": len(placements),
            "situations particulières": len(situations),
        }
