"""Writes of the semester cycle: every one asks `permissions`, runs in one
transaction and leaves its history (django-simple-history)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from domains.people.permissions import may, require
from domains.referential.models import Phase, Semester, Subdivision
from domains.residents.models import (
    EnrolmentState,
    PhasePeriod,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
)

from . import activity as a
from .models import ActivityKind, ActivityLine, ActivitySource, ActivityStatus
from .permissions import CHANGE, DECLARE, line_perimeter


def _label(situation: SpecialSituation) -> str:
    return _("%(kind)s accordée du %(start)s au %(end)s") % {
        "kind": situation.get_kind_display(),
        "start": date_format(situation.start_date, "d/m/Y"),
        "end": date_format(situation.end_date, "d/m/Y"),
    }


@transaction.atomic
def activity_prefill(*, by, subdivision: Subdivision, semester: Semester) -> int:
    """One line per resident of the subdivision for the semester, proposed from what
    SIIMOP knows (activity.propose), and one per interCHU entrant. Lines a person
    declared, corrected or validated are kept as they are. Returns the lines written."""
    require(
        by,
        CHANGE,
        [subdivision, subdivision.region],
        _("Seule la scolarité de la subdivision prépare son activité semestrielle."),
    )
    residents = list(
        Resident.objects.filter(
            subdivision=subdivision, enrolments__state=EnrolmentState.ACTIVE
        ).distinct()
    )
    ids = [r.pk for r in residents]
    periods = {
        p.enrolment.resident_id: p
        for p in PhasePeriod.objects.filter(
            enrolment__resident_id__in=ids,
            enrolment__state=EnrolmentState.ACTIVE,
            actual_end__isnull=True,
        ).select_related("phase", "enrolment")
    }
    situations = defaultdict(list)
    for s in SpecialSituation.objects.filter(
        resident_id__in=ids,
        status=SituationStatus.APPROVED,
        start_date__lte=semester.end_date,
        end_date__gte=semester.start_date,
    ):
        situations[s.resident_id].append(s)
    phases = {p.code: p for p in Phase.objects.all()}
    existing = {
        line.resident_id: line
        for line in ActivityLine.objects.filter(
            semester=semester, subdivision=subdivision
        )
    }
    new, changed = [], []

    def write(resident_id, specialty_id, kind, phase, reason):
        line = existing.get(resident_id)
        if line is None:
            line = ActivityLine(
                semester=semester,
                subdivision=subdivision,
                resident_id=resident_id,
                source=ActivitySource.PREFILL,
            )
            new.append(line)
        elif line.source != ActivitySource.PREFILL:
            return  # somebody said otherwise: SIIMOP does not overwrite it
        else:
            changed.append(line)
        line.specialty_id = specialty_id
        line.kind = kind
        line.phase = phases.get(phase) if phase else None
        line.reason = reason[:255]

    for resident in residents:
        period = periods.get(resident.pk)
        facts = a.Facts(
            enrolled=period is not None,
            phase=period.phase.code if period else None,
            phase_planned_end=period.planned_end if period else None,
            situations=tuple(
                a.Situation(s.kind, s.start_date, s.end_date, _label(s))
                for s in situations[resident.pk]
            ),
        )
        proposal = a.propose(facts, semester.start_date, semester.end_date)
        write(
            resident.pk,
            period.enrolment.specialty_id if period else None,
            proposal.kind,
            proposal.phase,
            proposal.reason,
        )
    # InterCHU entrants: residents of another subdivision granted a semester here.
    for s in SpecialSituation.objects.filter(
        kind=SituationKind.INTER_CHU,
        status=SituationStatus.APPROVED,
        target_subdivision=subdivision,
        start_date__lte=semester.end_date,
        end_date__gte=semester.start_date,
    ).select_related("resident__subdivision"):
        period = (
            PhasePeriod.objects.filter(
                enrolment__resident_id=s.resident_id,
                enrolment__state=EnrolmentState.ACTIVE,
                actual_end__isnull=True,
            )
            .select_related("phase", "enrolment")
            .first()
        )
        write(
            s.resident_id,
            period.enrolment.specialty_id if period else None,
            ActivityKind.INTER_CHU_IN,
            period.phase.code if period else None,
            _("InterCHU entrant depuis %(origin)s : %(label)s")
            % {"origin": s.resident.subdivision, "label": _label(s)},
        )
    bulk_create_with_history(new, ActivityLine, batch_size=500)
    bulk_update_with_history(
        changed, ActivityLine, ["specialty", "kind", "phase", "reason"], batch_size=500
    )
    return len(new) + len(changed)


def _checked_kind(kind: str, reason: str) -> None:
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Situation inconnue.")})
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif : il accompagne la ligne jusqu'au choix.")}
        )


@transaction.atomic
def activity_change(*, by, line: ActivityLine, kind: str, reason: str) -> ActivityLine:
    """The faculty registry corrects a line (its reason is required)."""
    require(by, CHANGE, line_perimeter(line))
    _checked_kind(kind, reason)
    line = ActivityLine.objects.select_for_update().get(pk=line.pk)
    line.kind, line.reason = kind, reason.strip()
    line.source = ActivitySource.REGISTRY
    line.status = ActivityStatus.DECLARED
    line.validated_by, line.validated_at = None, None
    line.save()
    return line


@transaction.atomic
def activity_declare(*, by, line: ActivityLine, kind: str, reason: str) -> ActivityLine:
    """The resident declares her situation next semester, until it is validated."""
    if line.resident.person.user_id != getattr(by, "pk", None) or not may(
        by, DECLARE, [line.resident.person]
    ):
        raise PermissionDenied(_("Seule l'interne déclare sa propre situation."))
    _checked_kind(kind, reason)
    line = ActivityLine.objects.select_for_update().get(pk=line.pk)
    if line.status == ActivityStatus.VALIDATED:
        raise ValidationError(
            _(
                "Votre situation est déjà validée par la scolarité : écrivez-lui pour "
                "la modifier."
            )
        )
    line.kind, line.reason = kind, reason.strip()
    line.source = ActivitySource.RESIDENT
    line.status = ActivityStatus.DECLARED
    line.save()
    return line


@transaction.atomic
def activity_validate(*, by, lines) -> int:
    """The registry validates lines: all of them, or none (the refusal names it)."""
    now = timezone.now()
    locked = list(
        ActivityLine.objects.select_for_update()
        .filter(pk__in=[line.pk for line in lines])
        .select_related("subdivision__region", "resident__person", "specialty")
    )
    for line in locked:
        require(
            by,
            CHANGE,
            line_perimeter(line),
            _("Vous ne pouvez pas valider la ligne de %(name)s.")
            % {"name": line.resident.person.full_name},
        )
        line.status = ActivityStatus.VALIDATED
        line.validated_by = by if getattr(by, "pk", None) else None
        line.validated_at = now
    bulk_update_with_history(
        locked, ActivityLine, ["status", "validated_by", "validated_at"], batch_size=500
    )
    return len(locked)
