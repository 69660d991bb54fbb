"""The relevé de stages for the licence de remplacement: every validated stage of the
resident, R3C and archived, with what the Ordre des médecins reads of it (hospital,
ambulatory, with a general practitioner), and the Ordre's thresholds for her DES.

A stage is "with a general practitioner" when it is ambulatory (its site, or the stage
itself) and its site held, over the stage's semester, a principal accreditation in
general practice: a principal accreditation is in the supervisor's own specialty, so
he is a GP. An MSU function says nothing of its holder's specialty in SIIMOP, hence
not used alone.
"""

from dataclasses import dataclass

from domains.referential.models import (
    Accreditation,
    AccreditationState,
    AccreditationType,
)

from . import rules
from .models import (
    PlacementMode,
    ReplacementThreshold,
    StageType,
    ThresholdCondition,
    Validation,
)

GENERAL_PRACTICE = "DES-MGE"
# Accreditations that let a site receive residents then (expired ones did, then).
_HELD = (
    AccreditationState.PROVISIONAL,
    AccreditationState.GRANTED,
    AccreditationState.EXPIRED,
)


@dataclass(frozen=True)
class StageRow:
    placement: object
    stage_type: str  # StageType

    @property
    def type_label(self) -> str:
        return str(StageType(self.stage_type).label)

    @property
    def archived(self) -> bool:
        return self.placement.mode == PlacementMode.ARCHIVE


@dataclass(frozen=True)
class Record:
    specialty: object | None  # the DES whose thresholds are read
    rows: list[StageRow]
    verdicts: list[rules.ThresholdVerdict]
    demo: bool  # a threshold read is a demonstration value

    @property
    def met(self) -> bool:
        return bool(self.verdicts) and all(v.met for v in self.verdicts)


def _general_practice_periods(site_ids: set[int]) -> dict[int, list[tuple]]:
    periods: dict[int, list[tuple]] = {}
    for site_id, start, end in Accreditation.objects.filter(
        training_site_id__in=site_ids,
        specialty__code=GENERAL_PRACTICE,
        type=AccreditationType.PRINCIPAL,
        state__in=_HELD,
    ).values_list("training_site_id", "start_date", "end_date"):
        periods.setdefault(site_id, []).append((start, end))
    return periods


def stage_rows(placements) -> list[StageRow]:
    """The validated stages, R3C and archived, in the order of their semesters."""
    validated = [p for p in placements if p.validation == Validation.VALIDATED]
    periods = _general_practice_periods({p.training_site_id for p in validated})
    rows = []
    for p in sorted(validated, key=lambda p: p.semester.start_date):
        with_gp = any(
            start <= p.semester.end_date and end >= p.semester.start_date
            for start, end in periods.get(p.training_site_id, [])
        )
        rows.append(
            StageRow(
                placement=p,
                stage_type=rules.stage_type(
                    site_kind=p.training_site.kind,
                    placement_kind=p.kind,
                    with_gp=with_gp,
                ),
            )
        )
    return rows


def threshold_specialty(path):
    """Her current DES, or the last one she followed (a graduate's)."""
    if path.enrolment is not None:
        return path.enrolment.specialty
    return path.enrolments[0].specialty if path.enrolments else None


def replacement_record(path) -> Record:
    specialty = threshold_specialty(path)
    rows = stage_rows(path.placements)
    thresholds = (
        list(ReplacementThreshold.objects.filter(specialty=specialty))
        if specialty
        else []
    )
    stages = [
        rules.StageFact(
            stage_type=row.stage_type,
            in_specialty=specialty is not None
            and row.placement.specialty_id == specialty.pk,
        )
        for row in rows
    ]
    verdicts = [
        rules.threshold_verdict(
            rules.ThresholdFact(
                label=t.label,
                semesters_required=t.semesters_required,
                of_which_count=t.of_which_count,
                of_which_kind=t.of_which_kind,
                of_which_label=str(ThresholdCondition(t.of_which_kind).label)
                if t.of_which_kind
                else "",
            ),
            stages,
        )
        for t in thresholds
    ]
    return Record(
        specialty=specialty,
        rows=rows,
        verdicts=verdicts,
        demo=any(t.is_demo for t in thresholds),
    )


def visible_replacement_thresholds(user):
    """National reference data: the whole table (the screen's role permission
    decides who opens it: UNESS admins)."""
    if not user.is_authenticated:
        return ReplacementThreshold.objects.none()
    return ReplacementThreshold.objects.select_related("specialty")


def replacement_threshold_perimeter(record) -> list:
    """National: no perimeter object; only national functions edit it."""
    return []
