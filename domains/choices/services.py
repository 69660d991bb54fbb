"""Writes of the semester cycle: every one asks `permissions`, runs in one
transaction and leaves its history (django-simple-history)."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
from domains.residents.rules import seniority
from domains.residents.selectors import phase_states, situation_facts

from . import activity as a
from .call_list import Adjustment, Candidate, order
from .models import (
    ActivityKind,
    ActivityLine,
    ActivitySource,
    ActivityStatus,
    CallList,
    CallListEntry,
    CallListStatus,
)
from .permissions import CALL_LISTS, CHANGE, DECLARE, line_perimeter
from .selectors import comparable_ranks


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
        # Only the lines are locked (PostgreSQL locks no outer-joined row).
        ActivityLine.objects.select_for_update(of=("self",))
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


# --- call lists ----------------------------------------------------------------------


@transaction.atomic
def call_lists_compute(*, by, subdivision: Subdivision, semester: Semester) -> int:
    """Every call list of the subdivision for the semester, from its validated
    semester activity: seniority in the phase, then the comparable national ranking,
    then the recorded draw; the ARS's adjustments kept. A published list is not
    recomputed. Returns the lists written."""
    require(
        by,
        CALL_LISTS,
        [subdivision, subdivision.region],
        _("Seule l'ARS de la région établit les listes d'appel."),
    )
    lines = list(
        ActivityLine.objects.filter(
            semester=semester,
            subdivision=subdivision,
            kind__in=a.CALLED,
            specialty__isnull=False,
            phase__isnull=False,
        ).select_related("resident", "phase")
    )
    pending = [line for line in lines if line.status != ActivityStatus.VALIDATED]
    if pending:
        raise ValidationError(
            ngettext(
                "%(n)d ligne de l'activité semestrielle n'est pas validée "
                "(%(first)s) : la scolarité la valide d'abord.",
                "%(n)d lignes de l'activité semestrielle ne sont pas validées "
                "(dont %(first)s) : la scolarité les valide d'abord.",
                len(pending),
            )
            % {"n": len(pending), "first": pending[0]}
        )
    residents = [line.resident for line in lines]
    states = {s.resident.pk: s for s in phase_states(residents)}
    maternity = defaultdict(list)
    for s in SpecialSituation.objects.filter(
        resident__in=residents, status=SituationStatus.APPROVED
    ):
        maternity[s.resident_id].append(s)
    ranks = comparable_ranks(residents)
    groups = defaultdict(list)
    for line in lines:
        groups[(line.specialty_id, line.phase_id)].append(line)
    written = 0
    for (specialty_id, phase_id), members in groups.items():
        call_list, _created = CallList.objects.select_for_update().get_or_create(
            semester=semester,
            subdivision=subdivision,
            specialty_id=specialty_id,
            phase_id=phase_id,
        )
        if call_list.status != CallListStatus.DRAFT:
            continue
        kept = {
            e.resident_id: e
            for e in call_list.entries.exclude(adjusted_position__isnull=True)
        }
        candidates = []
        for line in members:
            state = states.get(line.resident_id)
            # Seniority in the phase she chooses in: none yet in a phase just begun.
            in_phase = state and state.phase and state.phase.phase_id == phase_id
            candidates.append(
                Candidate(
                    str(line.resident_id),
                    seniority(
                        state.placements,
                        situation_facts(maternity[line.resident_id]),
                        line.phase.code,
                    )
                    if in_phase
                    else 0,
                    ranks[line.resident_id],
                )
            )
        adjustments = [
            Adjustment(str(e.resident_id), e.adjusted_position, e.adjustment_reason)
            for e in sorted(kept.values(), key=lambda e: e.adjusted_position)
            if e.adjusted_position <= len(candidates)
            and any(c.id == str(e.resident_id) for c in candidates)
        ]
        result = order(candidates, adjustments, seed=call_list.seed)
        by_id = {c.id: c for c in candidates}
        call_list.entries.all().delete()
        CallListEntry.objects.bulk_create(
            [
                CallListEntry(
                    call_list=call_list,
                    resident_id=int(resident_id),
                    position=position,
                    seniority=by_id[resident_id].seniority,
                    rank=by_id[resident_id].rank,
                    why=result.why[resident_id][:400],
                    adjusted_position=kept[int(resident_id)].adjusted_position
                    if int(resident_id) in kept
                    else None,
                    adjustment_reason=kept[int(resident_id)].adjustment_reason
                    if int(resident_id) in kept
                    else "",
                )
                for position, resident_id in enumerate(result.order, start=1)
            ]
        )
        call_list.computed_at = timezone.now()
        call_list.save(update_fields=["computed_at"])
        written += 1
    return written


@transaction.atomic
def call_list_adjust(
    *, by, call_list: CallList, resident_id: int, position: int, reason: str
) -> CallList:
    """The ARS moves a resident to a place, with its reason; the list is recomputed
    around it."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.DRAFT:
        raise ValidationError(_("La liste est publiée : elle ne se modifie plus."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez la raison de ce rang.")})
    entry = call_list.entries.filter(resident_id=resident_id).first()
    if entry is None:
        raise ValidationError({"resident": _("Cette interne n'est pas sur la liste.")})
    size = call_list.entries.count()
    if not 1 <= position <= size:
        raise ValidationError(
            {"position": _("Choisissez un rang entre 1 et %(n)d.") % {"n": size}}
        )
    entry.adjusted_position, entry.adjustment_reason = position, reason.strip()
    entry.save(update_fields=["adjusted_position", "adjustment_reason"])
    call_lists_compute(
        by=by, subdivision=call_list.subdivision, semester=call_list.semester
    )
    return call_list


@transaction.atomic
def call_list_publish(*, by, call_list: CallList) -> CallList:
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.DRAFT:
        raise ValidationError(_("Cette liste est déjà publiée."))
    if not call_list.entries.exists():
        raise ValidationError(_("La liste est vide : calculez-la d'abord."))
    call_list.status = CallListStatus.PUBLISHED
    call_list.published_at = timezone.now()
    call_list.save(update_fields=["status", "published_at"])
    return call_list
