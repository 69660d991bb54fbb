"""Writes on residents and their path: each rule refused with a French message."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit import mailer
from domains.cockpit.audit import audited, audited_bulk_create, audited_bulk_update
from domains.cockpit.dates import period_end
from domains.people.models import Function, Person, User
from domains.people.roles import Role
from domains.people.services import function_grant, functions_import, persons_import
from domains.referential.models import Phase, Semester, SpecialtyKind
from domains.referential.selectors import site_is_accredited

from . import permissions, rules
from .models import (
    OPEN_SITUATION_STATUSES,
    Enrolment,
    EnrolmentState,
    InterChuQuota,
    JuryDecision,
    LastAdmittedRank,
    MassOperation,
    Opinion,
    PhasePeriod,
    Placement,
    PlacementKind,
    PlacementMode,
    RankingKind,
    ReplacementThreshold,
    Resident,
    SituationDocument,
    SituationKind,
    SituationStatus,
    SpecialSituation,
    Validation,
)
from .ranks import remorse_rank_check
from .selectors import (
    PhaseState,
    chunks,
    current_enrolment,
    current_enrolments,
    current_phase,
    phase_states,
    placement_facts,
    situation_facts,
    specialty_fact,
)
from .signals import situation_approved


def _account(by) -> User | None:
    """The account to name on a record (who validated, who decided): none when the
    platform itself acts (`SYSTEM`)."""
    return by if isinstance(by, User) else None


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: message} if field else message)


@transaction.atomic
def resident_create(
    *,
    person: Person,
    faculty,
    subdivision,
    cohort: int,
    ranking_kind: str,
    specialty,
    start_semester: Semester,
    national_rank: int | None = None,
    rank_percentage=None,
    cesp: bool = False,
    option_or_fst=None,
    by: User,
) -> Resident:
    """A resident with her enrolment, her socle phase and her resident function."""
    permissions.require_create_resident(by, subdivision)
    if Resident.objects.filter(person=person).exists():
        _refuse(_("Cette personne est déjà enregistrée comme interne."), "person")
    resident = audited(
        Resident(
            person=person,
            faculty=faculty,
            subdivision=subdivision,
            cohort=cohort,
            ranking_kind=ranking_kind,
            national_rank=national_rank,
            rank_percentage=rank_percentage,
            cesp=cesp,
        ),
        by,
    )
    resident.full_clean(exclude=["person"])
    resident.save()
    enrolment_open(
        resident=resident,
        specialty=specialty,
        start_semester=start_semester,
        option_or_fst=option_or_fst,
        by=by,
    )
    function_grant(
        person=person, role=Role.RESIDENT, start_date=start_semester.start_date, by=by
    )
    return resident


def enrolment_open(
    *, resident: Resident, specialty, start_semester: Semester, option_or_fst=None, by
) -> Enrolment:
    if option_or_fst is not None and option_or_fst.kind not in (
        SpecialtyKind.OPTION,
        SpecialtyKind.FST,
    ):
        _refuse(_("Choisissez une option ou une FST."), "option_or_fst")
    enrolment = audited(
        Enrolment(
            resident=resident,
            specialty=specialty,
            start_semester=start_semester,
            option_or_fst=option_or_fst,
        ),
        by,
    )
    enrolment.save()
    start = start_semester.start_date
    audited(
        PhasePeriod(
            enrolment=enrolment,
            phase=Phase.objects.get(code=Phase.Code.SOCLE),
            start_date=start,
            planned_end=period_end(
                start,
                months=6
                * rules.phase_semesters(Phase.Code.SOCLE, specialty_fact(specialty)),
            ),
        ),
        by,
    ).save()
    return enrolment


# Placements (stages) ----------------------------------------------------------------


@transaction.atomic
def placement_create(
    *,
    resident: Resident,
    semester: Semester,
    training_site,
    specialty,
    phase,
    kind: str = PlacementKind.SPECIALTY,
    post=None,
    mode: str = PlacementMode.R3C,
    archive_reason: str = "",
    by: User,
) -> Placement:
    permissions.require_add_placement(by, resident)
    if Placement.objects.filter(resident=resident, semester=semester).exists():
        _refuse(
            _("%(name)s a déjà un stage au semestre %(semester)s.")
            % {"name": resident, "semester": semester},
            "semester",
        )
    if mode == PlacementMode.R3C and not site_is_accredited(
        training_site=training_site, specialty=specialty, phase=phase, semester=semester
    ):
        _refuse(
            _(
                "%(site)s n'est pas agréé pour %(specialty)s en %(phase)s au début du "
                "semestre : enregistrez le stage en archive, avec son motif."
            )
            % {"site": training_site, "specialty": specialty, "phase": phase.label},
            "training_site",
        )
    if mode == PlacementMode.ARCHIVE and not archive_reason.strip():
        _refuse(_("Indiquez pourquoi ce stage est archivé."), "archive_reason")
    placement = audited(
        Placement(
            resident=resident,
            semester=semester,
            training_site=training_site,
            specialty=specialty,
            phase=phase,
            kind=kind,
            post=post,
            mode=mode,
            archive_reason=archive_reason.strip(),
        ),
        by,
    )
    placement.save()
    return placement


def _validate(placement: Placement, *, validated: bool, reasons: str, absence_days, by):
    refusal = rules.validation_refusal(
        validated=validated, reasons=reasons, absence_days=absence_days
    )
    if refusal:
        _refuse(f"{placement.resident} — {placement.semester} : {refusal}")
    placement.validation = (
        Validation.VALIDATED if validated else Validation.NOT_VALIDATED
    )
    placement.validation_reasons = "" if validated else reasons.strip()
    placement.absence_days = absence_days
    placement.validated_by = _account(by)
    placement.validated_at = timezone.now()
    audited(placement, by).save()


@transaction.atomic
def placements_validate(*, decisions: list[dict], by: User) -> int:
    """Record the validations of many stages: all of them, or none if one breaks a rule.

    Each decision: {"placement": Placement, "validated": bool, "reasons": str,
    "absence_days": int}.
    """
    placements = [decision["placement"] for decision in decisions]
    permissions.require_validate_placements(by, _residents_of(placements))
    errors = []
    for decision in decisions:
        try:
            _validate(
                decision["placement"],
                validated=decision["validated"],
                reasons=decision.get("reasons", ""),
                absence_days=decision.get("absence_days", 0),
                by=by,
            )
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return len(decisions)


# Special situations ----------------------------------------------------------------


def _facts(resident: Resident):
    placements = list(
        resident.placements.select_related(
            "semester", "phase", "training_site", "specialty"
        )
    )
    return placement_facts(placements), situation_facts(resident.situations.all())


# A leave for health or maternity may fall within any other situation; the others
# exclude each other over the same days.
_MAY_OVERLAP = (SituationKind.MATERNITY, SituationKind.SICK_LEAVE)


def _overlap_check(resident: Resident, kind: str, start: date, end: date) -> None:
    """One situation at a time: a pending or granted one over the same days refuses
    the new request, naming it."""
    if kind in _MAY_OVERLAP:
        return
    other = (
        resident.situations.filter(
            status__in=[*OPEN_SITUATION_STATUSES, SituationStatus.APPROVED],
            start_date__lte=end,
            end_date__gte=start,
        )
        .exclude(kind__in=_MAY_OVERLAP)
        .order_by("start_date")
        .first()
    )
    if other is not None:
        _refuse(
            _(
                "Cette période chevauche la demande « %(other)s » (%(status)s) : "
                "une seule situation particulière à la fois."
            )
            % {"other": other, "status": other.get_status_display().lower()},
            "start_date",
        )


@transaction.atomic
def situation_request(
    *,
    resident: Resident,
    kind: str,
    start_date: date,
    end_date: date,
    motive: str = "",
    leave_reason: str = "",
    target_specialty=None,
    target_subdivision=None,
    documents: list | None = None,
    by: User,
    today: date | None = None,
) -> SpecialSituation:
    """A resident's request (or one recorded for her), checked against its rules."""
    permissions.require_ask_situation(by, resident)
    today = today or timezone.localdate()
    SpecialSituation(start_date=start_date, end_date=end_date).clean()
    _overlap_check(resident, kind, start_date, end_date)
    placements, situations = _facts(resident)
    enrolment = current_enrolment(resident)
    phase = current_phase(enrolment)
    refusal = None
    if kind == SituationKind.LEAVE:
        if not leave_reason:
            _refuse(_("Choisissez le motif de la disponibilité."), "leave_reason")
        refusal = rules.leave_refusal(
            start=start_date,
            end=end_date,
            reason=leave_reason,
            placements=placements,
            situations=situations,
            today=today,
        )
    elif kind == SituationKind.SPECIALTY_CHANGE:
        if target_specialty is None:
            _refuse(_("Choisissez la spécialité demandée."), "target_specialty")
        refusal = rules.remorse_refusal(
            current_phase=phase.phase.code if phase else "",
            placements=placements,
            situations=situations,
            current_specialty=enrolment.specialty.code if enrolment else "",
            target_specialty=target_specialty.code,
            start=start_date,
        )
        if refusal is None:
            # Refused only when a recorded last rank says no; unchecked, the decider
            # reads why on the request's page (views.situation_context).
            check = remorse_rank_check(resident, target_specialty)
            refusal = check.message if check.ok is False else None
    elif kind == SituationKind.INTER_CHU:
        if target_subdivision is None:
            _refuse(_("Choisissez la subdivision d'accueil."), "target_subdivision")
        if target_subdivision.pk == resident.subdivision_id:
            _refuse(
                _("Un interCHU se fait dans une autre subdivision que la vôtre."),
                "target_subdivision",
            )
        if phase is not None and phase.phase.code == Phase.Code.SOCLE:
            refusal = _("Un interCHU n'est pas ouvert en phase socle.")
        else:
            refusal = _inter_chu_quota_refusal(resident, start_date)
    if refusal:
        _refuse(refusal)
    situation = audited(
        SpecialSituation(
            resident=resident,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            motive=motive.strip(),
            leave_reason=leave_reason if kind == SituationKind.LEAVE else "",
            target_specialty=target_specialty
            if kind == SituationKind.SPECIALTY_CHANGE
            else None,
            target_subdivision=target_subdivision
            if kind == SituationKind.INTER_CHU
            else None,
        ),
        by,
    )
    situation.save()
    for upload in documents or []:
        if not upload.name.lower().endswith(".pdf"):
            _refuse(_("Les pièces justificatives sont des fichiers PDF."), "documents")
        SituationDocument.objects.create(
            situation=situation, file=upload, name=upload.name
        )
    return situation


@transaction.atomic
def situation_give_opinion(
    *, situation: SpecialSituation, opinion: str, comment: str, by: User
) -> SpecialSituation:
    permissions.require_situation_opinion(by, situation)
    if situation.status not in OPEN_SITUATION_STATUSES:
        _refuse(_("Cette demande a déjà reçu sa décision."))
    if opinion != Opinion.FAVOURABLE and not comment.strip():
        _refuse(_("Motivez un avis réservé ou défavorable."), "comment")
    situation.opinion, situation.opinion_comment = opinion, comment.strip()
    situation.opinion_by = _account(by)
    situation.status = SituationStatus.OPINION
    audited(situation, by).save()
    return situation


@transaction.atomic
def situation_decide(
    *, situation: SpecialSituation, approve: bool, comment: str = "", by: User
) -> SpecialSituation:
    """The faculty (or ARS) decides; a granted remords moves the resident to the new DES."""
    permissions.require_situation_decision(by, situation)
    if situation.status not in OPEN_SITUATION_STATUSES:
        _refuse(_("Cette demande a déjà reçu sa décision."))
    if not approve and not comment.strip():
        _refuse(
            _("Indiquez le motif du refus : il est transmis à l'interne."), "comment"
        )
    if approve and situation.kind == SituationKind.INTER_CHU:
        refusal = _inter_chu_quota_refusal(
            situation.resident, situation.start_date, exclude=situation
        )
        if refusal:
            _refuse(refusal)
    if approve and situation.kind == SituationKind.SPECIALTY_CHANGE:
        # A last rank entered after the request was filed still holds.
        check = remorse_rank_check(situation.resident, situation.target_specialty)
        if check.ok is False:
            _refuse(check.message)
    situation.status = SituationStatus.APPROVED if approve else SituationStatus.REFUSED
    situation.decision_comment = comment.strip()
    situation.decided_by = _account(by)
    situation.decided_at = timezone.now()
    audited(situation, by).save()
    if approve and situation.kind == SituationKind.SPECIALTY_CHANGE:
        _change_specialty(situation, by)
    if approve:
        # The semester cycle asks the host subdivision's agreement for an interCHU.
        situation_approved.send(sender=SpecialSituation, situation=situation)
    mailer.enqueue("domains.residents.tasks.send_situation_decision", situation.pk)
    return situation


def _inter_chu_quota_refusal(
    resident: Resident, start: date, exclude=None
) -> str | None:
    """The origin subdivision's quota for the semester, counting live requests."""
    quota = (
        InterChuQuota.objects.filter(
            subdivision_id=resident.subdivision_id,
            semester__start_date__lte=start,
            semester__end_date__gte=start,
        )
        .select_related("semester")
        .first()
    )
    if quota is None:
        return None
    taken = SpecialSituation.objects.filter(
        kind=SituationKind.INTER_CHU,
        resident__subdivision_id=resident.subdivision_id,
        start_date__gte=quota.semester.start_date,
        start_date__lte=quota.semester.end_date,
        status__in=[SituationStatus.APPROVED],
    ).exclude(pk=getattr(exclude, "pk", None))
    if taken.count() >= quota.places:
        return _(
            "Le quota d'interCHU de la subdivision %(subdivision)s est atteint pour le "
            "semestre %(semester)s (%(places)s place(s))."
        ) % {
            "subdivision": resident.subdivision,
            "semester": quota.semester,
            "places": quota.places,
        }
    return None


def _change_specialty(situation: SpecialSituation, by: User) -> None:
    enrolment = current_enrolment(situation.resident)
    semester = (
        Semester.objects.filter(start_date__gte=situation.start_date)
        .order_by("start_date")
        .first()
    )
    if enrolment is None or semester is None:
        _refuse(_("Aucune inscription en cours ou aucun semestre à venir."))
    phase = current_phase(enrolment)
    if phase is not None:
        # A phase not begun yet ends on its first day, never before it.
        phase.actual_end = max(
            phase.start_date, semester.start_date - timedelta(days=1)
        )
        audited(phase, by).save()
    enrolment.state = EnrolmentState.CHANGED
    enrolment.ended_on = semester.start_date - timedelta(days=1)
    audited(enrolment, by).save()
    enrolment_open(
        resident=situation.resident,
        specialty=situation.target_specialty,
        start_semester=semester,
        by=by,
    )


@transaction.atomic
def situation_withdraw(*, situation: SpecialSituation, by: User) -> SpecialSituation:
    permissions.require_withdraw_situation(by, situation)
    if situation.status not in OPEN_SITUATION_STATUSES:
        _refuse(_("Une demande décidée ne peut plus être retirée."))
    situation.status = SituationStatus.WITHDRAWN
    audited(situation, by).save()
    return situation


# Phase changes, thesis, diploma: one resident or a whole jury at once ---------------


def _next_phase(state: PhaseState, jury_date: date, phases: dict) -> PhasePeriod | None:
    """The phase a validated one opens (none after the consolidation)."""
    following = rules.PHASE_ORDER.index(state.phase.phase.code) + 1
    if following == len(rules.PHASE_ORDER):
        return None
    code = rules.PHASE_ORDER[following]
    start, planned_end = rules.next_phase_period(
        jury_date,
        code,
        semesters=rules.phase_semesters(
            code, specialty_fact(state.enrolment.specialty)
        ),
    )
    return PhasePeriod(
        enrolment=state.enrolment,
        phase=phases[code],
        start_date=start,
        planned_end=planned_end,
    )


JURY_FIELDS = ["jury_date", "jury_decision", "actual_end"]


@transaction.atomic
def phase_change_many(
    *, residents: list[Resident], jury_date: date, decision: str, by: User
) -> MassOperation:
    """A jury's decisions for many residents: all recorded, or none.

    Set-based: the residents' phases and stages are read in a few queries, every
    refusal is gathered (each naming its resident) before anything is written, then
    the phases are closed and the next ones opened in bulk, with their history.
    """
    if decision not in JuryDecision.values:
        _refuse(_("Choisissez la décision du jury."), "decision")
    residents = _reloaded(residents)
    permissions.require_change_residents(by, residents)
    states = phase_states(residents)
    if decision == JuryDecision.VALIDATED:
        errors = [refusal for refusal in map(PhaseState.refusal, states) if refusal]
        # The jury's day ends the phase: never before the phase began.
        errors += [
            _(
                "%(resident)s — la date du jury (%(jury)s) précède le début de sa "
                "phase (%(start)s)."
            )
            % {
                "resident": state.resident,
                "jury": jury_date.strftime("%d/%m/%Y"),
                "start": state.phase.start_date.strftime("%d/%m/%Y"),
            }
            for state in states
            if state.phase is not None and jury_date < state.phase.start_date
        ]
    else:
        errors = [
            _("%s n'a pas de phase en cours.") % state.resident
            for state in states
            if state.phase is None
        ]
    if errors:
        raise ValidationError(errors)
    phases = {phase.code: phase for phase in Phase.objects.all()}
    undo, opened = [], []
    for state in states:
        phase = state.phase
        undo.append(
            {
                "phase": phase.pk,
                "opened": None,
                "previous": {
                    "jury_date": _iso(phase.jury_date),
                    "jury_decision": phase.jury_decision,
                    "actual_end": _iso(phase.actual_end),
                },
            }
        )
        phase.jury_date, phase.jury_decision = jury_date, decision
        if decision == JuryDecision.VALIDATED:
            phase.actual_end = jury_date
            following = _next_phase(state, jury_date, phases)
            if following is not None:
                opened.append((undo[-1], following))
    # Closed first: an enrolment has one open phase at a time.
    _save_fields(PhasePeriod, [s.phase for s in states], JURY_FIELDS, by=by)
    created = audited_bulk_create(PhasePeriod, [new for _item, new in opened], by=by)
    for (item, _new), row in zip(opened, created, strict=True):
        item["opened"] = row.pk
    return MassOperation.objects.create(
        kind=MassOperation.Kind.PHASE_CHANGE,
        parameters={"jury_date": jury_date.isoformat(), "decision": decision},
        undo={"phases": undo},
        count=len(residents),
        by=_account(by),
    )


DATE_FIELDS = {
    MassOperation.Kind.THESIS: "thesis_date",
    MassOperation.Kind.DIPLOMA: "diploma_date",
}


@transaction.atomic
def enrolment_dates_many(
    *, residents: list[Resident], kind: str, day: date, by: User
) -> MassOperation:
    """Thesis defences or diplomas of many residents at once: all, or none."""
    field = DATE_FIELDS[kind]
    residents = _reloaded(residents)
    permissions.require_change_residents(by, residents)
    enrolments = current_enrolments(residents)
    errors = [
        _("%s n'a pas d'inscription en cours.") % resident
        for resident in residents
        if resident.pk not in enrolments
    ]
    if errors:
        raise ValidationError(errors)
    undo, changed = [], [enrolments[resident.pk] for resident in residents]
    for enrolment in changed:
        undo.append(
            {"enrolment": enrolment.pk, "previous": _iso(getattr(enrolment, field))}
        )
        setattr(enrolment, field, day)
        if kind == MassOperation.Kind.DIPLOMA:
            enrolment.state = EnrolmentState.COMPLETED
            enrolment.ended_on = day
    fields = [field]
    if kind == MassOperation.Kind.DIPLOMA:
        fields += ["state", "ended_on"]
    _save_fields(Enrolment, changed, fields, by=by)
    return MassOperation.objects.create(
        kind=kind,
        parameters={"date": day.isoformat()},
        undo={"enrolments": undo},
        count=len(residents),
        by=_account(by),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _save_fields(model, objs: list, fields: list[str], *, by) -> None:
    """Write these fields of many records, as set on them, and their history rows in
    bulk. Records sharing the same values (a jury's decision, its undo) get one UPDATE
    per 900: building a bulk update's CASE per record costs seconds at 1,000."""
    groups: dict[tuple, list[int]] = {}
    for obj in objs:
        key = tuple(getattr(obj, field) for field in fields)
        groups.setdefault(key, []).append(obj.pk)
    for key, pks in groups.items():
        for chunk in chunks(pks):
            values = dict(zip(fields, key, strict=True))
            model.objects.filter(pk__in=chunk).update(**values)
    # Asked for no field, simple_history's bulk update writes only the history rows.
    audited_bulk_update(model, objs, [], by=by)


def _audited_bulk_delete(model, objs: list, *, by) -> None:
    """Delete many records, each leaving its "-" history row (with its author),
    in a few queries: a queryset delete would write one history row per record,
    through the signal, and without the author."""
    if not objs:
        return
    history = model.history.model
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                history_type="-",
                history_date=now,
                history_user=_account(by),
                **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
            )
            for obj in objs
        ],
        batch_size=500,
    )
    for chunk in chunks([obj.pk for obj in objs]):
        # No signal: the history rows are written above, once and in bulk.
        model.objects.filter(pk__in=chunk)._raw_delete(model.objects.db)


@transaction.atomic
def mass_operation_undo(*, operation: MassOperation, by: User) -> MassOperation:
    """Undo a mass processing the same day it was run, as if it had not happened:
    the phases it opened go, those it closed are as they were; in bulk."""
    operation = MassOperation.objects.select_for_update().get(pk=operation.pk)
    if operation.undone_at is not None:
        _refuse(_("Ce traitement a déjà été annulé."))
    if timezone.localdate(operation.at) != timezone.localdate():
        _refuse(_("Un traitement ne s'annule que le jour même."))
    permissions.require_change_residents(by, _residents_of_operation(operation))
    items = operation.undo.get("phases", [])
    opened = _by_pk(PhasePeriod, [i["opened"] for i in items if i["opened"]])
    if any(phase.jury_decision for phase in opened.values()):
        _refuse(
            _(
                "Un jury a déjà statué sur une phase ouverte par ce traitement : "
                "annulez d'abord ce traitement-là."
            )
        )
    _audited_bulk_delete(PhasePeriod, list(opened.values()), by=by)
    closed = _by_pk(PhasePeriod, [i["phase"] for i in items])
    for item in items:
        phase = closed[item["phase"]]
        previous = item.get("previous", {})
        phase.jury_date = _day(previous.get("jury_date"))
        phase.jury_decision = previous.get("jury_decision", "")
        phase.actual_end = _day(previous.get("actual_end"))
    _save_fields(PhasePeriod, list(closed.values()), JURY_FIELDS, by=by)
    field = DATE_FIELDS.get(operation.kind)
    items = operation.undo.get("enrolments", [])
    enrolments = _by_pk(Enrolment, [i["enrolment"] for i in items])
    for item in items:
        enrolment = enrolments[item["enrolment"]]
        setattr(enrolment, field, _day(item["previous"]))
        if operation.kind == MassOperation.Kind.DIPLOMA:
            enrolment.state, enrolment.ended_on = EnrolmentState.ACTIVE, None
    if field:
        fields = [field]
        if operation.kind == MassOperation.Kind.DIPLOMA:
            fields += ["state", "ended_on"]
        _save_fields(Enrolment, list(enrolments.values()), fields, by=by)
    operation.undone_at = timezone.now()
    operation.save(update_fields=["undone_at"])
    return operation


def _reloaded(residents) -> list[Resident]:
    """These residents, once each, with what their perimeter and names need, a query
    per 900."""
    return list(
        _by_pk(
            Resident.objects.select_related("person", "subdivision__region"),
            list(dict.fromkeys(resident.pk for resident in residents)),
        ).values()
    )


def _residents_of(records) -> list[Resident]:
    return _reloaded([Resident(pk=pk) for pk in {r.resident_id for r in records}])


def _residents_of_operation(operation: MassOperation) -> list[Resident]:
    """The residents a mass processing changed (by its phases or enrolments)."""
    undo = operation.undo
    phases = [item["phase"] for item in undo.get("phases", [])]
    enrolments = [item["enrolment"] for item in undo.get("enrolments", [])]
    ids = [
        *(
            pk
            for chunk in chunks(phases)
            for pk in PhasePeriod.objects.filter(pk__in=chunk).values_list(
                "enrolment__resident_id", flat=True
            )
        ),
        *(
            pk
            for chunk in chunks(enrolments)
            for pk in Enrolment.objects.filter(pk__in=chunk).values_list(
                "resident_id", flat=True
            )
        ),
    ]
    return _reloaded([Resident(pk=pk) for pk in ids])


def _by_pk(model_or_queryset, pks: list[int]) -> dict:
    """The records of these ids, by id (in their order), a query per 900."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    found = {
        obj.pk: obj
        for chunk in chunks(pks)
        for obj in queryset.filter(pk__in=chunk).order_by()
    }
    return {pk: found[pk] for pk in pks if pk in found}


@transaction.atomic
def placements_import(*, rows: list[dict], by: User) -> int:
    """Recovered stages, written in bulk: the import already decided R3C or archive
    (clean, accredited site) for each and checked one stage per semester."""
    residents = _reloaded([Resident(pk=row["resident_id"]) for row in rows])
    permissions.require_import(by, {r.subdivision for r in residents})
    placements = [
        Placement(
            resident_id=row["resident_id"],
            semester=row["semester"],
            training_site=row["training_site"],
            specialty=row["specialty"],
            phase=row["phase"],
            validation=row["validation"],
            validation_reasons=row["validation_reasons"],
            mode=row["mode"],
            archive_reason=row["archive_reason"],
            validated_by=_account(by)
            if row["validation"] != Validation.PENDING
            else None,
            validated_at=timezone.now()
            if row["validation"] != Validation.PENDING
            else None,
        )
        for row in rows
    ]
    Placement.objects.bulk_create(placements, batch_size=2000)
    return len(placements)


@transaction.atomic
def residents_import(*, rows: list[dict], by: User) -> int:
    """Recovered residents in bulk: new persons (or known ones), residents, enrolments,
    their phase history up to the current phase, and the resident function.

    Each row: "person" (a Person) or "new_person" (a persons_import spec), faculty,
    subdivision, cohort, national_rank, specialty, option_or_fst, start_semester,
    phase (a Phase code, "socle" when unknown). The caller checked every rule.
    """
    permissions.require_import(by, {row["subdivision"] for row in rows})
    new = [row for row in rows if row.get("person") is None]
    for row, person in zip(
        new, persons_import(specs=[r["new_person"] for r in new], by=by), strict=True
    ):
        row["person"] = person
    residents = [
        Resident(
            person=row["person"],
            faculty=row["faculty"],
            subdivision=row["subdivision"],
            cohort=row["cohort"],
            ranking_kind=RankingKind.ECN
            if row["cohort"] <= 2023
            else RankingKind.SPECIALTY_GROUP,
            national_rank=row["national_rank"],
        )
        for row in rows
    ]
    audited_bulk_create(Resident, residents, by=by)
    enrolments = [
        Enrolment(
            resident=resident,
            specialty=row["specialty"],
            option_or_fst=row["option_or_fst"],
            start_semester=row["start_semester"],
        )
        for resident, row in zip(residents, rows, strict=True)
    ]
    audited_bulk_create(Enrolment, enrolments, by=by)
    phases = {p.code: p for p in Phase.objects.all()}
    periods = []
    for enrolment, row in zip(enrolments, rows, strict=True):
        start = row["start_semester"].start_date
        reached = rules.PHASE_ORDER.index(row.get("phase") or Phase.Code.SOCLE)
        for index, code in enumerate(rules.PHASE_ORDER[: reached + 1]):
            end = period_end(
                start,
                months=6
                * rules.phase_semesters(code, specialty_fact(row["specialty"])),
            )
            current = index == reached
            periods.append(
                PhasePeriod(
                    enrolment=enrolment,
                    phase=phases[code],
                    start_date=start,
                    planned_end=end,
                    actual_end=None if current else end,
                    jury_decision="" if current else JuryDecision.VALIDATED,
                )
            )
            start = end + timedelta(days=1)
    PhasePeriod.objects.bulk_create(periods, batch_size=2000)
    functions_import(
        functions=[
            Function(
                person=row["person"],
                role=Role.RESIDENT,
                start_date=row["start_semester"].start_date,
            )
            for row in rows
        ],
        by=by,
    )
    return len(residents)


# Docteur Junior matching -------------------------------------------------------------


@transaction.atomic
def consolidation_placements_record(
    *, semester: Semester, assignments: dict, source_posts, by: User
) -> dict[str, int]:
    """The consolidation-phase stages a matching round decided for `semester`, R3C on
    each post's site: created, moved to the new post (a corrected result), or removed
    (no post any more), never duplicated. Returns {"created", "moved", "removed"}.

    `assignments` maps every resident the round decided for to her post or None;
    a stage of that semester on one of `source_posts` (the round's posts) is the
    round's own. One stage per semester: any other stage that semester is refused, as
    is a site not accredited for the post's specialty in consolidation on the
    semester's first day (the rules of placement_create), naming the resident. The
    matching publication decides who may publish; `by` signs the stages' history.
    """
    consolidation = Phase.objects.get(code=Phase.Code.CONSOLIDATION)
    source = {post.pk for post in source_posts} | {
        post.pk for post in assignments.values() if post is not None
    }
    existing = {
        p.resident_id: p
        for p in Placement.objects.select_for_update(of=("self",))
        .filter(resident__in=list(assignments), semester=semester)
        .select_related("training_site")
    }
    accredited = _AccreditationMemo(consolidation, semester)
    created, moved, removed = [], [], []
    for resident, post in sorted(assignments.items(), key=lambda item: item[0].pk):
        placement = existing.get(resident.pk)
        ours = placement is not None and placement.post_id in source
        _consolidation_check(resident, post, placement, ours, semester, accredited)
        if post is None:
            if ours:
                removed.append(placement)
            continue
        fields = {
            "training_site_id": post.training_site_id,
            "post_id": post.pk,
            "specialty_id": post.specialty_id,
            "phase_id": consolidation.pk,
            "kind": PlacementKind.SPECIALTY,
            "mode": PlacementMode.R3C,
        }
        if placement is None:
            created.append(Placement(resident=resident, semester=semester, **fields))
        elif any(getattr(placement, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(placement, name, value)
            moved.append(placement)
    for placement in removed:
        audited(placement, by).delete()
    audited_bulk_update(
        Placement,
        moved,
        ["training_site", "post", "specialty", "phase", "kind", "mode"],
        by=by,
    )
    audited_bulk_create(Placement, created, by=by)
    return {"created": len(created), "moved": len(moved), "removed": len(removed)}


class _AccreditationMemo:
    """Is a post's site accredited for its specialty in this phase on the semester's
    first day? Asked once per (site, specialty)."""

    def __init__(self, phase, semester: Semester):
        self.phase, self.semester, self.known = phase, semester, {}

    def __call__(self, post) -> bool:
        key = (post.training_site_id, post.specialty_id)
        if key not in self.known:
            self.known[key] = site_is_accredited(
                training_site=post.training_site,
                specialty=post.specialty,
                phase=self.phase,
                semester=self.semester,
            )
        return self.known[key]


def _consolidation_check(resident, post, placement, ours, semester, accredited):
    """The rules a round's consolidation stage must keep, refused with the resident's
    name: an evaluated stage no longer moves, a stage of another origin that semester
    is not doubled, the post is of the semester and its site accredited."""
    if (
        ours
        and placement.validation != Validation.PENDING
        and (post is None or post.pk != placement.post_id)
    ):
        raise ValidationError(
            _(
                "%(name)s : son stage du semestre %(semester)s est déjà évalué, "
                "il ne change plus."
            )
            % {"name": resident, "semester": semester}
        )
    if post is None:
        return
    if placement is not None and not ours:
        raise ValidationError(
            _(
                "%(name)s a déjà un stage au semestre %(semester)s (%(site)s) : "
                "l'affectation de l'appariement ne peut pas s'y ajouter."
            )
            % {"name": resident, "semester": semester, "site": placement.training_site}
        )
    if post.semester_id != semester.pk:
        raise ValidationError(
            _("%(name)s : le poste %(site)s n'est pas du semestre %(semester)s.")
            % {"name": resident, "site": post.training_site, "semester": semester}
        )
    if not accredited(post):
        raise ValidationError(
            _(
                "%(name)s : %(site)s n'est pas agréé pour %(specialty)s en "
                "%(phase)s au début du semestre %(semester)s."
            )
            % {
                "name": resident,
                "site": post.training_site,
                "specialty": post.specialty,
                "phase": accredited.phase.label,
                "semester": semester,
            }
        )


# Last ranks admitted (droit au remords) and the licence de remplacement's thresholds -


def _checked_save(record, by):
    """The record's own rules (its constraints' French messages), then saved, audited."""
    record.full_clean()
    audited(record, by).save()
    return record


@transaction.atomic
def last_admitted_rank_save(
    *,
    record: LastAdmittedRank | None = None,
    specialty,
    subdivision,
    cohort: int,
    ranking_kind: str,
    last_rank: int | None = None,
    last_percentage=None,
    by: User,
) -> LastAdmittedRank:
    """The registry records (or corrects) the last rank admitted in a DES of its
    subdivision for a cohort: a rank, or for the 2024 cohort's kind a percentage."""
    for place in {subdivision, *([record.subdivision] if record else [])}:
        permissions.require(
            by,
            "residents.change_lastadmittedrank"
            if record
            else "residents.add_lastadmittedrank",
            permissions.subdivision_perimeter(place),
            _(
                "Votre fonction ne vous permet pas d'enregistrer les derniers rangs "
                "admis de la subdivision %(subdivision)s (sa scolarité le fait)."
            )
            % {"subdivision": place},
        )
    if specialty.kind not in (SpecialtyKind.DES, SpecialtyKind.CO_DES):
        _refuse(
            _("%(label)s n'est pas un DES : choisissez un DES ou un co-DES.")
            % {"label": specialty.label},
            "specialty",
        )
    percentage = ranking_kind == RankingKind.PERCENTAGE
    if percentage:
        if last_percentage is None:
            _refuse(
                _(
                    "Indiquez la dernière position admise en pourcentage : c'est le "
                    "classement de cette promotion."
                ),
                "last_percentage",
            )
        if not 0 <= last_percentage <= 100:
            _refuse(
                _("Une position en pourcentage est comprise entre 0 et 100."),
                "last_percentage",
            )
        last_rank = None
    else:
        if last_rank is None:
            _refuse(_("Indiquez le dernier rang admis."), "last_rank")
        if last_rank < 1:
            _refuse(_("Un rang commence à 1."), "last_rank")
        last_percentage = None
    record = record or LastAdmittedRank()
    record.specialty, record.subdivision = specialty, subdivision
    record.cohort, record.ranking_kind = cohort, ranking_kind
    record.last_rank, record.last_percentage = last_rank, last_percentage
    return _checked_save(record, by)


@transaction.atomic
def last_admitted_rank_delete(*, record: LastAdmittedRank, by: User) -> None:
    permissions.require(
        by,
        "residents.delete_lastadmittedrank",
        permissions.subdivision_perimeter(record.subdivision),
        _("Votre fonction ne vous permet pas de supprimer ce dernier rang admis."),
    )
    audited(record, by).delete()


THRESHOLD_FIELDS = (
    "specialty",
    "label",
    "semesters_required",
    "of_which_count",
    "of_which_kind",
    "is_demo",
    "source",
)


@transaction.atomic
def replacement_threshold_save(
    *, record: ReplacementThreshold | None = None, by: User, **fields
) -> ReplacementThreshold:
    """A threshold of the Ordre for a DES: national data, kept by UNESS."""
    permissions.require(
        by,
        "residents.change_replacementthreshold"
        if record
        else "residents.add_replacementthreshold",
        [],
        _(
            "Les seuils de la licence de remplacement sont tenus par les "
            "administrateurs UNESS."
        ),
    )
    record = record or ReplacementThreshold()
    for name in THRESHOLD_FIELDS:
        if name in fields:
            setattr(record, name, fields[name])
    if not record.of_which_count:
        record.of_which_kind = ""
    elif not record.of_which_kind:
        _refuse(
            _("Choisissez le type des %(n)s stage(s) « dont ».")
            % {"n": record.of_which_count},
            "of_which_kind",
        )
    return _checked_save(record, by)


@transaction.atomic
def replacement_threshold_delete(*, record: ReplacementThreshold, by: User) -> None:
    permissions.require(
        by,
        "residents.delete_replacementthreshold",
        [],
        _(
            "Les seuils de la licence de remplacement sont tenus par les "
            "administrateurs UNESS."
        ),
    )
    audited(record, by).delete()
