"""Writes of the semester cycle: every one asks `permissions`, runs in one
transaction and leaves its history (django-simple-history)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from domains.cockpit import mailer
from domains.cockpit.audit import audited, audited_bulk_create
from domains.cockpit.rows import insert_rows
from domains.people.permissions import may, require
from domains.referential.models import (
    Phase,
    Post,
    Semester,
    Specialty,
    SpecialtyKind,
    Subdivision,
)
from domains.referential.services import post_open, post_update
from domains.residents.models import (
    EnrolmentState,
    PhasePeriod,
    Resident,
    SituationKind,
    SituationStatus,
    SpecialSituation,
)
from domains.residents.selectors import current_enrolment, phase_seniorities

from . import activity as a
from .call_list import Adjustment, Candidate, order
from .documents import decree_pdf
from .models import (
    ActivityKind,
    ActivityLine,
    ActivitySource,
    ActivityStatus,
    CallList,
    CallListContest,
    CallListContestStatus,
    CallListEntry,
    CallListStatus,
    ChoiceGroup,
    ChoiceGroupMember,
    DeclarationDeadline,
    HostingStatus,
    InterChuHosting,
    OpeningOpinion,
    OpeningRule,
    OpeningStatus,
    Opinion,
    PostOpening,
)
from .permissions import (
    CALL_LISTS,
    CHANGE,
    DECLARE,
    HOSTING,
    HOSTING_OPINION,
    OPENING,
    OPINION,
    RULE_ADD,
    RULE_CHANGE,
    RULE_DELETE,
    SIGN,
    hosting_perimeter,
    line_perimeter,
    opening_perimeter,
)
from .selectors import (
    RANK_FIELDS,
    coming_semester,
    comparable_ranks,
    coverage_labels,
    declaration_deadline,
    subdivision_coverage,
)
from .signals import opening_published

# An interCHU counts once the host subdivision has accepted it: until then the resident
# chooses at home.
NOT_HOSTED = Q(kind=SituationKind.INTER_CHU) & ~Q(
    hosting__status=HostingStatus.ACCEPTED
)


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
    ).exclude(NOT_HOSTED):
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
    for s in (
        SpecialSituation.objects.filter(
            kind=SituationKind.INTER_CHU,
            status=SituationStatus.APPROVED,
            target_subdivision=subdivision,
            start_date__lte=semester.end_date,
            end_date__gte=semester.start_date,
        )
        .exclude(NOT_HOSTED)
        .select_related("resident__subdivision")
    ):
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
    deadline = declaration_deadline(line.subdivision, line.semester)
    if deadline is not None and timezone.localdate() > deadline.deadline:
        raise ValidationError(
            _(
                "La date limite de déclaration (%(date)s) est passée : écrivez à la "
                "scolarité pour corriger votre situation."
            )
            % {"date": date_format(deadline.deadline, "d/m/Y")}
        )
    line.kind, line.reason = kind, reason.strip()
    line.source = ActivitySource.RESIDENT
    line.status = ActivityStatus.DECLARED
    line.save()
    return line


@transaction.atomic
def declaration_deadline_set(
    *, by, subdivision: Subdivision, semester: Semester, deadline
) -> DeclarationDeadline:
    """The faculty registry sets the day by which its residents declare; reminders
    follow (a week before, then the day before) to those who have not confirmed."""
    require(by, CHANGE, [subdivision, subdivision.region])
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("La date limite ne peut être passée.")})
    if deadline >= semester.start_date:
        raise ValidationError(
            {
                "deadline": _(
                    "La date limite doit précéder le début du semestre (%(start)s)."
                )
                % {"start": date_format(semester.start_date, "d/m/Y")}
            }
        )
    record = DeclarationDeadline.objects.filter(
        semester=semester, subdivision=subdivision
    ).first() or DeclarationDeadline(semester=semester, subdivision=subdivision)
    record.deadline = deadline
    audited(record, by)
    record.save()
    return record


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


def _pending_lines_refusal(lines) -> ValidationError | None:
    pending = lines.exclude(status=ActivityStatus.VALIDATED)
    count = pending.count()
    if not count:
        return None
    first = pending.select_related("resident__person", "semester").first()
    return ValidationError(
        ngettext(
            "%(n)d ligne de l'activité semestrielle n'est pas validée "
            "(%(first)s) : la scolarité la valide d'abord.",
            "%(n)d lignes de l'activité semestrielle ne sont pas validées "
            "(dont %(first)s) : la scolarité les valide d'abord.",
            count,
        )
        % {"n": count, "first": first}
    )


# An entry as compared and written: resident, position, seniority, rank, why, the
# ARS's position and its reason.
_ENTRY_FIELDS = (
    "resident_id",
    "position",
    "seniority",
    "rank",
    "why",
    "adjusted_position",
    "adjustment_reason",
)


def _call_candidates(lines, subdivision: Subdivision) -> dict[tuple, list[Candidate]]:
    """Who is called on which list: (DES, group, phase) → each resident with her
    seniority in the phase she chooses in and her comparable ranking."""
    rows = list(
        lines.order_by().values_list(
            "specialty_id",
            "phase_id",
            *(f"resident__{field}" for field in RANK_FIELDS),
        )
    )
    # Seniority in the phase she chooses in: none in a phase just begun.
    seniorities = phase_seniorities(
        Resident.objects.filter(pk__in=lines.values("resident_id")),
        {row[2]: row[1] for row in rows},
    )
    ranks = comparable_ranks(row[2:] for row in rows)
    group_of = dict(
        ChoiceGroupMember.objects.filter(subdivision=subdivision).values_list(
            "specialty_id", "group_id"
        )
    )
    candidates: dict[tuple, list[Candidate]] = defaultdict(list)
    for specialty_id, phase_id, resident_id, *_rank in rows:
        group_id = group_of.get(specialty_id)
        key = (None if group_id else specialty_id, group_id, phase_id)
        candidates[key].append(
            Candidate(str(resident_id), seniorities[resident_id], ranks[resident_id])
        )
    return candidates


def _ordered_entries(
    call_list: CallList, members: list[Candidate], held: list[tuple]
) -> list[tuple]:
    """The list's places in order (as _ENTRY_FIELDS rows), its residents ordered by
    the pure rule with the ARS's fixed ranks, kept from the places it `held`."""
    kept = {row[0]: row for row in held if row[5] is not None}  # adjusted_position
    ids = {c.id for c in members}
    adjustments = [
        Adjustment(str(resident_id), row[5], row[6])
        for resident_id, row in sorted(kept.items(), key=lambda kv: kv[1][5])
        if row[5] <= len(members) and str(resident_id) in ids
    ]
    result = order(members, adjustments, seed=call_list.seed)
    by_id = {c.id: c for c in members}
    entries = []
    for position, resident_id in enumerate(result.order, start=1):
        adjusted = kept.get(int(resident_id))
        entries.append(
            (
                int(resident_id),
                position,
                by_id[resident_id].seniority,
                by_id[resident_id].rank,
                result.why[resident_id][:400],
                adjusted[5] if adjusted else None,
                adjusted[6] if adjusted else "",
            )
        )
    return entries


@transaction.atomic
def call_lists_compute(*, by, subdivision: Subdivision, semester: Semester) -> int:
    """Every call list of the subdivision for the semester, from its validated
    semester activity: one list per phase for each choice group, and for each DES in
    no group; in each, seniority in the phase, then the comparable national ranking,
    then the recorded draw, the ARS's adjustments kept. A published list is not
    recomputed; a draft list nobody is called on any more (its DES joined a group) is
    removed. Plain rows throughout, and only the lists whose order changed are
    rewritten (benchmarks/choices.py: Île-de-France's 98 lists in ~0.2 s). Returns
    the lists computed."""
    require(
        by,
        CALL_LISTS,
        [subdivision, subdivision.region],
        _("Seule l'ARS de la région établit les listes d'appel."),
    )
    # One computation of a subdivision's lists at a time (two agents, or a group
    # changed meanwhile): the second waits, then finds the lists the first made.
    Subdivision.objects.select_for_update().get(pk=subdivision.pk)
    lines = ActivityLine.objects.filter(
        semester=semester,
        subdivision=subdivision,
        kind__in=a.CALLED,
        specialty__isnull=False,
        phase__isnull=False,
    )
    refusal = _pending_lines_refusal(lines)
    if refusal:
        raise refusal
    candidates = _call_candidates(lines, subdivision)

    def locked_lists() -> dict[tuple, CallList]:
        return {
            (c.specialty_id, c.group_id, c.phase_id): c
            for c in CallList.objects.select_for_update()
            .filter(semester=semester, subdivision=subdivision)
            .order_by()
        }

    lists = locked_lists()
    missing = [key for key in candidates if key not in lists]
    if missing:
        audited_bulk_create(
            CallList,
            [
                CallList(
                    semester=semester,
                    subdivision=subdivision,
                    specialty_id=specialty_id,
                    group_id=group_id,
                    phase_id=phase_id,
                )
                for specialty_id, group_id, phase_id in missing
            ],
            by=by,
        )
        lists = locked_lists()
    drafts = {key: c for key, c in lists.items() if c.status == CallListStatus.DRAFT}
    obsolete = [c.pk for key, c in drafts.items() if key not in candidates]
    if obsolete:
        CallList.objects.filter(pk__in=obsolete, contests__isnull=True).delete()
    drafts = {key: c for key, c in drafts.items() if key in candidates}
    held: dict[int, list[tuple]] = defaultdict(list)
    for call_list_id, *entry in (
        CallListEntry.objects.filter(call_list__in=[c.pk for c in drafts.values()])
        .order_by("call_list_id", "position")
        .values_list("call_list_id", *_ENTRY_FIELDS)
    ):
        held[call_list_id].append(tuple(entry))
    rewritten: dict[int, list[tuple]] = {}
    for key, call_list in drafts.items():
        entries = _ordered_entries(call_list, candidates[key], held[call_list.pk])
        if entries != held[call_list.pk]:
            rewritten[call_list.pk] = entries
    if rewritten:
        CallListEntry.objects.filter(call_list__in=list(rewritten)).delete()
        # Places carry no history (their list does): plain rows, one statement.
        insert_rows(
            CallListEntry,
            ("call_list_id", *_ENTRY_FIELDS),
            (
                (call_list_id, *entry)
                for call_list_id, entries in rewritten.items()
                for entry in entries
            ),
        )
    # When they were computed, not a change of the lists: no history row each time
    # (their creation, publication and hand changes keep theirs).
    CallList.objects.filter(pk__in=[c.pk for c in drafts.values()]).update(
        computed_at=timezone.now()
    )
    return len(drafts)


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


def _draft_list(by, call_list: CallList, reason: str) -> CallList:
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.DRAFT:
        raise ValidationError(_("La liste est publiée : elle ne se modifie plus."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez la raison de ce changement.")})
    return call_list


def _list_specialties(call_list: CallList) -> set[int]:
    if call_list.group_id:
        return set(call_list.group.members.values_list("specialty_id", flat=True))
    return {call_list.specialty_id}


@transaction.atomic
def call_list_put_out_of_choice(
    *, by, call_list: CallList, resident_id: int, reason: str
) -> ActivityLine:
    """The ARS takes a resident off the list: she is placed *hors choix* (after an
    interview, a disability…), her semester activity says so with the reason, and
    the list is recomputed without her."""
    call_list = _draft_list(by, call_list, reason)
    if not call_list.entries.filter(resident_id=resident_id).exists():
        raise ValidationError({"resident": _("Cette interne n'est pas sur la liste.")})
    line = ActivityLine.objects.select_for_update().get(
        semester=call_list.semester,
        subdivision=call_list.subdivision,
        resident_id=resident_id,
    )
    line.kind = ActivityKind.OUT_OF_CHOICE
    line.reason = (
        _("Hors choix, décidé par l'ARS : %(reason)s") % {"reason": reason.strip()}
    )[:255]
    line.source = ActivitySource.ARS
    audited(line, by)
    line.save(update_fields=["kind", "reason", "source"])
    call_lists_compute(
        by=by, subdivision=call_list.subdivision, semester=call_list.semester
    )
    return line


@transaction.atomic
def call_list_add_resident(
    *, by, call_list: CallList, email: str, reason: str
) -> ActivityLine:
    """The ARS adds a resident the list does not hold (an entrant whose interCHU was
    agreed outside SIIMOP, a late return): named by her e-mail address, of the list's
    DES (or one of its group's) in her enrolment, called in its phase; her semester
    activity in the subdivision says why. The list is recomputed with her."""
    call_list = _draft_list(by, call_list, reason)
    resident = (
        Resident.objects.filter(person__emails__email__iexact=email.strip())
        .select_related("person")
        .first()
        if email.strip()
        else None
    )
    enrolment = current_enrolment(resident) if resident else None
    if enrolment is None:
        raise ValidationError(
            {
                "email": _(
                    "Aucune interne en cours de DES n'a cette adresse électronique."
                )
            }
        )
    if enrolment.specialty_id not in _list_specialties(call_list):
        raise ValidationError(
            {
                "email": _(
                    "%(name)s est inscrite dans un autre DES que celui de cette liste."
                )
                % {"name": resident.person.full_name}
            }
        )
    if call_list.entries.filter(resident=resident).exists():
        raise ValidationError({"email": _("Cette interne est déjà sur la liste.")})
    entrant = resident.subdivision_id != call_list.subdivision_id
    line, _created = ActivityLine.objects.select_for_update().get_or_create(
        semester=call_list.semester,
        subdivision=call_list.subdivision,
        resident=resident,
        defaults={"specialty_id": enrolment.specialty_id, "phase": call_list.phase},
    )
    line.kind = ActivityKind.INTER_CHU_IN if entrant else ActivityKind.CHOOSES
    line.specialty_id, line.phase = enrolment.specialty_id, call_list.phase
    line.reason = (
        _("Ajoutée à la liste d'appel par l'ARS : %(reason)s")
        % {"reason": reason.strip()}
    )[:255]
    line.source = ActivitySource.ARS
    line.status = ActivityStatus.VALIDATED
    line.validated_by = by if getattr(by, "pk", None) else None
    line.validated_at = timezone.now()
    audited(line, by)
    line.save()
    call_lists_compute(
        by=by, subdivision=call_list.subdivision, semester=call_list.semester
    )
    return line


# Choice groups -----------------------------------------------------------------------


def _published_lists_refusal(group, subdivision, specialties) -> None:
    """A group does not change under lists residents already read: the coming
    semester's published or frozen lists of the group, or of a DES joining it."""
    semester = coming_semester()
    if semester is None:
        return
    touched = Q(specialty__in=specialties)
    if group is not None and group.pk:
        touched |= Q(group=group)
    published = (
        CallList.objects.filter(semester=semester, subdivision=subdivision)
        .filter(touched)
        .exclude(status=CallListStatus.DRAFT)
        .select_related("specialty", "group", "phase", "subdivision")
        .first()
    )
    if published:
        raise ValidationError(
            _(
                "La liste d'appel « %(list)s » de %(semester)s est publiée : "
                "reprenez-la avant de changer ce groupe de choix."
            )
            % {"list": published, "semester": semester}
        )


@transaction.atomic
def choice_group_save(
    *,
    by,
    subdivision: Subdivision,
    label: str,
    specialties,
    group: ChoiceGroup | None = None,
) -> ChoiceGroup:
    """The ARS defines (or changes) DES of a subdivision that choose together: their
    residents are called in one list per phase at the next computation."""
    require(
        by,
        CALL_LISTS,
        [subdivision, subdivision.region],
        _("Seule l'ARS de la région définit les groupes de choix."),
    )
    # Not while the subdivision's lists are being computed (call_lists_compute).
    Subdivision.objects.select_for_update().get(pk=subdivision.pk)
    specialties = list(specialties)
    if not label.strip():
        raise ValidationError({"label": _("Nommez le groupe.")})
    if len(specialties) < 2:
        raise ValidationError(
            {"specialties": _("Un groupe de choix réunit au moins deux DES.")}
        )
    if group is not None:
        group = ChoiceGroup.objects.select_for_update().get(pk=group.pk)
        if group.subdivision_id != subdivision.pk:
            raise ValidationError(_("Un groupe ne change pas de subdivision."))
    taken = (
        ChoiceGroupMember.objects.filter(
            subdivision=subdivision, specialty__in=specialties
        )
        .exclude(group=group)
        .select_related("specialty", "group")
        .first()
    )
    if taken:
        raise ValidationError(
            {
                "specialties": _(
                    "%(des)s choisit déjà dans le groupe « %(group)s » de la "
                    "subdivision."
                )
                % {"des": taken.specialty.label, "group": taken.group.label}
            }
        )
    before = (
        set(group.members.values_list("specialty_id", flat=True)) if group else set()
    )
    changed = before ^ {s.pk for s in specialties}
    _published_lists_refusal(group, subdivision, changed)
    group = group or ChoiceGroup(subdivision=subdivision)
    group.label = label.strip()
    group.full_clean()
    audited(group, by)
    group.save()
    group.members.all().delete()
    ChoiceGroupMember.objects.bulk_create(
        ChoiceGroupMember(group=group, subdivision=subdivision, specialty=specialty)
        for specialty in specialties
    )
    return group


@transaction.atomic
def choice_group_delete(*, by, group: ChoiceGroup) -> None:
    """Its DES choose on their own again from the next computation; its draft lists
    go with it, a published one keeps it."""
    group = ChoiceGroup.objects.select_for_update().get(pk=group.pk)
    require(
        by,
        CALL_LISTS,
        [group.subdivision, group.subdivision.region],
        _("Seule l'ARS de la région définit les groupes de choix."),
    )
    if group.call_lists.exclude(status=CallListStatus.DRAFT).exists():
        raise ValidationError(
            _(
                "Des listes d'appel publiées appellent ce groupe : il reste, "
                "pour leur histoire. Retirez-en les DES pour les semestres à venir."
            )
        )
    group.call_lists.all().delete()
    audited(group, by)
    group.delete()


# Contests are open for a week after publication unless the ARS says otherwise.
CONTEST_DAYS = 7


@transaction.atomic
def call_list_publish(
    *, by, call_list: CallList, contests_until: date | None = None
) -> CallList:
    """Each resident sees her place; she may contest it until `contests_until`
    (included; a week from today by default)."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.DRAFT:
        raise ValidationError(_("Cette liste est déjà publiée."))
    if not call_list.entries.exists():
        raise ValidationError(_("La liste est vide : calculez-la d'abord."))
    today = timezone.localdate()
    contests_until = contests_until or today + timedelta(days=CONTEST_DAYS)
    if contests_until < today:
        raise ValidationError(
            {
                "contests_until": _(
                    "La fin des contestations ne peut pas précéder aujourd'hui."
                )
            }
        )
    call_list.status = CallListStatus.PUBLISHED
    call_list.published_at = timezone.now()
    call_list.contests_until = contests_until
    audited(call_list, by)
    call_list.save(update_fields=["status", "published_at", "contests_until"])
    mailer.enqueue("domains.choices.tasks.send_call_list_published", call_list.pk)
    return call_list


# Call lists: contests and freeze ----------------------------------------------------


@transaction.atomic
def call_list_contest_file(*, by, call_list: CallList, text: str) -> CallListContest:
    """A resident on a published list contests her place, with her reasons."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    entry = (
        call_list.entries.filter(resident__person__user=by)
        .select_related("resident__person")
        .first()
    )
    if entry is None:
        raise PermissionDenied(_("Vous n'êtes pas sur cette liste d'appel."))
    require(by, DECLARE, [entry.resident.person])
    if call_list.status != CallListStatus.PUBLISHED:
        raise ValidationError(
            _("Les contestations ne sont ouvertes que sur une liste publiée.")
        )
    if not call_list.contests_open:
        raise ValidationError(
            _("La période de contestation s'est close le %(date)s.")
            % {"date": date_format(call_list.contests_until, "j F Y")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Dites ce que vous contestez et pourquoi.")})
    contest = CallListContest(call_list=call_list, resident=entry.resident, text=text)
    contest.full_clean()
    audited(contest, by)
    contest.save()
    mailer.enqueue("domains.choices.tasks.send_contest_filed", contest.pk)
    return contest


@transaction.atomic
def call_list_contest_answer(
    *, by, contest: CallListContest, accepted: bool, answer: str
) -> CallListContest:
    """The ARS answers; an accepted contest is then met by adjusting the list."""
    contest = CallListContest.objects.select_for_update().get(pk=contest.pk)
    call_list = contest.call_list
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.PUBLISHED:
        raise ValidationError(
            _("La liste n'est pas publiée : aucune contestation à traiter.")
        )
    if contest.status != CallListContestStatus.OPEN:
        raise ValidationError(_("Cette contestation a déjà reçu sa réponse."))
    if not answer.strip():
        raise ValidationError({"answer": _("La réponse dit ses raisons.")})
    contest.status = (
        CallListContestStatus.ACCEPTED if accepted else CallListContestStatus.REJECTED
    )
    contest.answer, contest.answered_by = answer.strip(), by
    contest.answered_at = timezone.now()
    audited(contest, by)
    contest.save()
    mailer.enqueue("domains.choices.tasks.send_contest_answer", contest.pk)
    return contest


@transaction.atomic
def call_list_reopen(*, by, call_list: CallList, reason: str) -> CallList:
    """Back to preparation to meet an accepted contest (the change is adjusted with
    its reason, then the list is published again)."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.PUBLISHED:
        raise ValidationError(_("Seule une liste publiée se reprend."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez pourquoi la liste est reprise.")})
    call_list.status = CallListStatus.DRAFT
    call_list._change_reason = reason.strip()
    call_list.save(update_fields=["status"])
    return call_list


@transaction.atomic
def call_list_freeze(*, by, call_list: CallList) -> CallList:
    """The list is fixed for the choice session once every contest has its answer."""
    call_list = CallList.objects.select_for_update().get(pk=call_list.pk)
    require(by, CALL_LISTS, [call_list.subdivision, call_list.subdivision.region])
    if call_list.status != CallListStatus.PUBLISHED:
        raise ValidationError(_("Seule une liste publiée s'arrête pour le choix."))
    pending = call_list.contests.filter(status=CallListContestStatus.OPEN).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(n)d contestation attend encore sa réponse : répondez avant "
                "d'arrêter la liste.",
                "%(n)d contestations attendent encore leur réponse : répondez avant "
                "d'arrêter la liste.",
                pending,
            )
            % {"n": pending}
        )
    call_list.status = CallListStatus.FROZEN
    call_list.save(update_fields=["status"])
    return call_list


# Post opening -----------------------------------------------------------------------


def _locked(opening_pk: int) -> PostOpening:
    return (
        PostOpening.objects.select_for_update(of=("self",))
        .select_related("semester", "subdivision__region")
        .get(pk=opening_pk)
    )


@transaction.atomic
def opening_start(*, by, semester: Semester, subdivision: Subdivision) -> PostOpening:
    """The ARS prepares a subdivision's opening for the semester (once)."""
    require(by, OPENING, [subdivision, subdivision.region])
    # One insert carrying its author (one history row), not get_or_create then a
    # second save; a concurrent start for the same pair meets the unique constraint
    # and returns the opening the other one created, as get_or_create did.
    existing = PostOpening.objects.filter(
        semester=semester, subdivision=subdivision
    ).first()
    if existing is not None:
        return existing
    opening = audited(PostOpening(semester=semester, subdivision=subdivision), by)
    try:
        with transaction.atomic():
            opening.save(force_insert=True)
    except IntegrityError:
        return PostOpening.objects.get(semester=semester, subdivision=subdivision)
    return opening


@transaction.atomic
def opening_copy_previous(*, by, opening: PostOpening) -> tuple[int, list[str]]:
    """Start from the last semester's posts in the subdivision: each one copied where
    its site is still accredited at the new semester's start and within the
    accreditation's maximum; the others listed with the reason (nothing is forced)."""
    opening = _locked(opening.pk)
    require(by, OPENING, opening_perimeter(opening))
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError(_("L'arrêté est signé : les postes ne changent plus."))
    previous = (
        Semester.objects.filter(start_date__lt=opening.semester.start_date)
        .order_by("-start_date")
        .first()
    )
    if previous is None:
        raise ValidationError(_("Aucun semestre précédent dont reprendre les postes."))
    existing = set(
        Post.objects.filter(
            semester=opening.semester,
            training_site__subdivision=opening.subdivision,
        ).values_list("training_site_id", "specialty_id", "phase_id")
    )
    old_posts = (
        Post.objects.filter(
            semester=previous, training_site__subdivision=opening.subdivision
        )
        .select_related("training_site", "specialty", "phase")
        .prefetch_related("shared_specialties")
        .order_by("training_site__name", "specialty__label", "phase_id", "pk")
    )
    copies: dict[int, Post] = {}
    skipped: list[str] = []
    for old in old_posts:
        if (old.training_site_id, old.specialty_id, old.phase_id) in existing:
            continue
        try:
            with transaction.atomic():
                copies[old.pk] = post_open(
                    semester=opening.semester,
                    training_site=old.training_site,
                    specialty=old.specialty,
                    phase=old.phase,
                    seats=old.seats,
                    shared_specialties=list(old.shared_specialties.all()),
                    cesp_reserved=old.cesp_reserved,
                    by=by,
                )
        except ValidationError as error:
            skipped.append(
                _("%(post)s : %(why)s")
                % {
                    "post": f"{old.training_site} — {old.specialty} — {old.phase}",
                    "why": " ".join(error.messages),
                }
            )
    # Pairs stay pairs when both halves were copied.
    for old in old_posts:
        if old.pk in copies and old.coupled_with_id in copies:
            post_update(
                post=copies[old.pk], coupled_with=copies[old.coupled_with_id], by=by
            )
    return len(copies), skipped


@transaction.atomic
def opening_opinion_give(
    *, by, opening: PostOpening, specialty: Specialty, opinion: str, comment: str
) -> OpeningOpinion:
    """A coordinator's opinion on her DES's draft opening (revised until signature)."""
    opening = _locked(opening.pk)
    require(by, OPINION, [opening.subdivision, specialty])
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError(_("L'arrêté est signé : les avis sont clos."))
    record = OpeningOpinion.objects.filter(opening=opening, specialty=specialty).first()
    record = record or OpeningOpinion(opening=opening, specialty=specialty)
    record.opinion, record.comment, record.by = opinion, comment.strip(), by
    record.full_clean()
    audited(record, by)
    record.save()
    return record


@transaction.atomic
def opening_sign(
    *,
    by,
    opening: PostOpening,
    decree_reference: str,
    commission_date,
    minutes: str,
) -> PostOpening:
    """The DG ARS signs the decree: only when every DES and phase meets the rule; the
    decree's PDF is kept as signed and the subdivision's posts are frozen."""
    opening = _locked(opening.pk)
    require(by, SIGN, opening_perimeter(opening))
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError(_("Cet arrêté est déjà signé."))
    if not decree_reference.strip():
        raise ValidationError(
            {"decree_reference": _("Indiquez le numéro de l'arrêté.")}
        )
    lines = subdivision_coverage(opening.subdivision, opening.semester)
    if not any(line.opened for line in lines):
        raise ValidationError(_("Aucun poste n'est ouvert : rien à arrêter."))
    unmet = [line for line in lines if not line.met]
    if unmet:
        labels = coverage_labels(unmet)
        raise ValidationError(
            ngettext(
                "La règle des 107 %% n'est pas respectée pour %(n)d DES et phase : "
                "%(groups)s.",
                "La règle des 107 %% n'est pas respectée pour %(n)d DES et phases : "
                "%(groups)s.",
                len(unmet),
            )
            % {
                "n": len(unmet),
                "groups": " ; ".join(
                    ngettext(
                        "%(group)s (%(n)d poste manquant)",
                        "%(group)s (%(n)d postes manquants)",
                        line.missing,
                    )
                    % {"group": labels[line.group], "n": line.missing}
                    for line in unmet
                ),
            }
        )
    opening.decree_reference = decree_reference.strip()
    opening.commission_date, opening.minutes = commission_date, minutes.strip()
    opening.status, opening.signed_by = OpeningStatus.SIGNED, by
    opening.signed_at = timezone.now()
    opening.decree.save(
        f"arrete-ouverture-{opening.subdivision.code}-{opening.semester.pk}.pdf",
        ContentFile(decree_pdf(opening)),
        save=False,
    )
    audited(opening, by)
    opening.save()
    return opening


@transaction.atomic
def opening_publish(*, by, opening: PostOpening) -> PostOpening:
    """Publish the signed decree: its announcement on the public site, and an e-mail
    to each resident who chooses in the subdivision that semester."""
    opening = _locked(opening.pk)
    require(by, SIGN, opening_perimeter(opening))
    if opening.status != OpeningStatus.SIGNED:
        raise ValidationError(_("Seul un arrêté signé se publie."))
    opening.status, opening.published_at = OpeningStatus.PUBLISHED, timezone.now()
    audited(opening, by)
    opening.save()
    mailer.enqueue("domains.choices.tasks.send_opening_published", opening.pk)
    transaction.on_commit(
        lambda: opening_published.send(sender=PostOpening, opening=opening)
    )
    return opening


# InterCHU hosting -------------------------------------------------------------------


def hosting_request(situation: SpecialSituation) -> InterChuHosting | None:
    """An interCHU granted at home now waits for its host's agreement (the host's
    ARS agents are told). Called when the origin approves it."""
    if (
        situation.kind != SituationKind.INTER_CHU
        or situation.target_subdivision is None
    ):
        return None
    enrolment = situation.resident.enrolments.filter(
        state=EnrolmentState.ACTIVE
    ).first()
    hosting, created = InterChuHosting.objects.get_or_create(
        situation=situation,
        defaults={
            "host_subdivision": situation.target_subdivision,
            "specialty_id": enrolment.specialty_id if enrolment else None,
        },
    )
    if created:
        mailer.enqueue("domains.choices.tasks.send_hosting_requested", hosting.pk)
    return hosting


def _locked_hosting(hosting: InterChuHosting) -> InterChuHosting:
    return (
        InterChuHosting.objects.select_for_update(of=("self",))
        .select_related("host_subdivision__region", "specialty")
        .get(pk=hosting.pk)
    )


@transaction.atomic
def hosting_opinion_give(
    *, by, hosting: InterChuHosting, opinion: str, comment: str
) -> InterChuHosting:
    """The host coordinator of the DES gives her opinion (revised until the decision)."""
    hosting = _locked_hosting(hosting)
    require(by, HOSTING_OPINION, hosting_perimeter(hosting))
    if hosting.status != HostingStatus.PENDING:
        raise ValidationError(_("L'accueil est déjà décidé : l'avis est clos."))
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("Choisissez un avis.")})
    if opinion != Opinion.FAVOURABLE and not comment.strip():
        raise ValidationError(
            {"comment": _("Un avis réservé ou défavorable dit pourquoi.")}
        )
    hosting.coordinator_opinion, hosting.coordinator_comment = opinion, comment.strip()
    audited(hosting, by)
    hosting.save()
    return hosting


@transaction.atomic
def hosting_decide(
    *, by, hosting: InterChuHosting, accept: bool, reason: str
) -> InterChuHosting:
    """The host ARS accepts or refuses, after the coordinator's opinion; the resident
    is told. Accepted, she is *entrante* there and *sortante* at home."""
    hosting = _locked_hosting(hosting)
    require(by, HOSTING, hosting_perimeter(hosting))
    if hosting.status != HostingStatus.PENDING:
        raise ValidationError(_("Cet accueil est déjà décidé."))
    if not hosting.coordinator_opinion:
        raise ValidationError(
            _(
                "Le coordonnateur du DES de la subdivision d'accueil n'a pas encore "
                "donné son avis."
            )
        )
    if not accept and not reason.strip():
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : il est transmis à l'interne.")}
        )
    hosting.status = HostingStatus.ACCEPTED if accept else HostingStatus.REFUSED
    hosting.reason, hosting.decided_by = reason.strip(), by
    hosting.decided_at = timezone.now()
    audited(hosting, by)
    hosting.save()
    mailer.enqueue("domains.choices.tasks.send_hosting_decision", hosting.pk)
    return hosting


# --- opening rules -------------------------------------------------------------------


def _rule_refusal(region) -> str:
    return _(
        "Seule l'ARS de la région %(region)s fixe ses règles d'ouverture des postes."
    ) % {"region": region}


def opening_rule_check(
    *, specialty: Specialty | None, ratio, threshold: int | None, extra: int | None
) -> None:
    """An opening rule's figures, or a French ValidationError on the field at fault
    (the rule's form says the same before it posts)."""
    if specialty is not None and specialty.kind not in (
        SpecialtyKind.DES,
        SpecialtyKind.CO_DES,
    ):
        raise ValidationError(
            {
                "specialty": _(
                    "%(label)s n'est pas un DES : choisissez un DES ou un co-DES, "
                    "ou aucun pour tous les DES de la région."
                )
                % {"label": specialty.label}
            }
        )
    if ratio is None:
        raise ValidationError({"ratio": _("Indiquez le ratio (par exemple 1,07).")})
    if ratio < 1:
        raise ValidationError(
            {
                "ratio": _(
                    "Le ratio est au moins de 1 (100 %%) : les postes ouverts couvrent "
                    "au moins les internes qui choisissent (%(ratio)s saisi)."
                )
                % {"ratio": number_format(ratio)}
            }
        )
    if threshold is not None and extra is None:
        raise ValidationError(
            {
                "extra": _(
                    "Indiquez le supplément de postes au-delà du seuil de "
                    "%(threshold)d internes, ou effacez le seuil."
                )
                % {"threshold": threshold}
            }
        )
    if extra is not None and threshold is None:
        raise ValidationError(
            {
                "threshold": _(
                    "Indiquez le seuil au-delà duquel l'effectif + %(extra)d "
                    "remplace le ratio, ou effacez le supplément."
                )
                % {"extra": extra}
            }
        )


@transaction.atomic
def opening_rule_save(
    *,
    by,
    rule: OpeningRule | None = None,
    region,
    specialty: Specialty | None = None,
    ratio,
    threshold: int | None = None,
    extra: int | None = None,
    comment: str = "",
) -> OpeningRule:
    """The ARS sets (or corrects) one of its region's opening rules: for a DES, or,
    with no DES, for every DES of the region that has no rule of its own. Above
    `threshold` residents choosing, `choosing + extra` posts replace the ratio."""
    for place in {region, *([rule.region] if rule else [])}:
        require(by, RULE_CHANGE if rule else RULE_ADD, [place], _rule_refusal(place))
    opening_rule_check(
        specialty=specialty, ratio=ratio, threshold=threshold, extra=extra
    )
    record = rule or OpeningRule()
    record.region, record.specialty = region, specialty
    record.ratio, record.threshold, record.extra = ratio, threshold, extra
    record.comment = comment.strip()
    record.full_clean()
    audited(record, by).save()
    return record


@transaction.atomic
def opening_rule_delete(*, by, rule: OpeningRule) -> None:
    """Its DES (or the region's) goes back to the region's rule, else 107 %."""
    require(by, RULE_DELETE, [rule.region], _rule_refusal(rule.region))
    audited(rule, by).delete()
