"""Every write of an accreditation campaign. Each service asks permissions.py first
whether its actor (`by`) may; each request transition goes through `_move`, which
checks the state machine (workflow.py) and writes the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from domains.cockpit import mailer
from domains.cockpit.audit import audited, author
from domains.cockpit.bulk import all_or_nothing
from domains.cockpit.dates import shifted
from domains.cockpit.files import pdf_check
from domains.people.models import User
from domains.referential.accreditation_rules import (
    accreditation_end,
    complementary_end,
)
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    AccreditationState,
    AccreditationType,
    DataQuality,
    Phase,
    Region,
    Specialty,
    TrainingSite,
)
from domains.referential.services import accreditation_create, accreditation_update

from . import permissions, workflow
from .models import (
    DOSSIER_SECTIONS,
    AccreditationCampaign,
    AccreditationRequest,
    Attachment,
    AttachmentKind,
    CampaignMailing,
    CampaignStatus,
    DossierVersion,
    Opinion,
    OpinionKind,
    OpinionValue,
    Outcome,
    RequestStatus,
    Transition,
)
from .selectors import accreditations_to_review
from .signals import campaign_published


def _move(
    accreditation_request: AccreditationRequest, action: str, by, reason: str = ""
) -> AccreditationRequest:
    """The actor is asked first (permissions.py); the state is read again under a row
    lock: a page left open, or two agents at once, never move a request from a state
    it has left."""
    permissions.require_action(by, accreditation_request, action)
    rule = workflow.ACTIONS[action]
    accreditation_request.status = (
        AccreditationRequest.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=accreditation_request.pk)
    )
    if accreditation_request.status not in rule.moves:
        raise ValidationError(
            _("« %(action)s » est impossible : la demande est « %(status)s ».")
            % {
                "action": rule.label,
                "status": accreditation_request.get_status_display(),
            }
        )
    source = accreditation_request.status
    accreditation_request.status = rule.moves[source]
    audited(accreditation_request, by)  # this save, and the service's own after it
    if accreditation_request.status != source:
        accreditation_request.save(update_fields=["status"])
    Transition.objects.create(
        request=accreditation_request,
        action=action,
        source=source,
        target=accreditation_request.status,
        by=author(by),
        reason=reason,
    )
    return accreditation_request


# --- deadlines -------------------------------------------------------------------------


def filing_deadline(accreditation_request: AccreditationRequest) -> dt.datetime:
    """The campaign's, or later when the ARS reopened this request."""
    deadline = accreditation_request.campaign.filing_closes
    if (
        accreditation_request.reopened_until
        and accreditation_request.reopened_until > deadline
    ):
        return accreditation_request.reopened_until
    return deadline


def _filing_open(accreditation_request: AccreditationRequest, now: dt.datetime) -> None:
    campaign = accreditation_request.campaign
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError(_("La campagne n'est pas ouverte aux dépôts."))
    if timezone.localdate(now) < campaign.filing_opens:
        raise ValidationError(
            _("Les dépôts ouvrent le %s.") % campaign.filing_opens.strftime("%d/%m/%Y")
        )
    deadline = filing_deadline(accreditation_request)
    if now > deadline:
        raise ValidationError(
            _(
                "Le dépôt est clos depuis le %s : seule l'ARS peut rouvrir cette "
                "demande, avec un motif."
            )
            % timezone.localtime(deadline).strftime("%d/%m/%Y à %H:%M")
        )


# --- the campaign ----------------------------------------------------------------------


def campaign_validate(campaign: AccreditationCampaign) -> None:
    """The calendar in order, each refusal on its date (the model's rule)."""
    campaign.clean()


@transaction.atomic
def campaign_create(
    *,
    by: User,
    region: Region,
    year: int,
    filing_opens: dt.date,
    filing_closes: dt.datetime,
    opinions_due: dt.date,
    commission_date: dt.date,
    decisions_by: dt.date,
    effective_from: dt.date,
    specialties: Iterable[Specialty],
    phases: Iterable[Phase],
    name: str = "",
    form_version: str = "2026-1",
    coordinator_opinion_required: bool = True,
    representative_opinion_required: bool = True,
) -> AccreditationCampaign:
    permissions.require_region(by, region)
    specialties, phases = list(specialties), list(phases)
    if not specialties:
        raise ValidationError({"specialties": _("Choisissez au moins une spécialité.")})
    if not phases:
        raise ValidationError({"phases": _("Choisissez au moins une phase.")})
    campaign = AccreditationCampaign(
        name=name
        or _("Agréments %(year)s — %(region)s") % {"year": year, "region": region.name},
        region=region,
        year=year,
        filing_opens=filing_opens,
        filing_closes=filing_closes,
        opinions_due=opinions_due,
        commission_date=commission_date,
        decisions_by=decisions_by,
        effective_from=effective_from,
        form_version=form_version,
        coordinator_opinion_required=coordinator_opinion_required,
        representative_opinion_required=representative_opinion_required,
        created_by=author(by),
    )
    campaign_validate(campaign)
    campaign.validate_constraints()
    audited(campaign, by).save()
    campaign.specialties.set(specialties)
    campaign.phases.set(phases)
    return campaign


def renewals_due(campaign: AccreditationCampaign):
    """The region's accreditations in force, on clean sites, in the specialties
    concerned, that end before the next campaign's take effect, or whose site changed
    supervisor since (an accreditation is tied to its RTS)."""
    base = Accreditation.objects.filter(
        training_site__subdivision__region_id=campaign.region_id,
        training_site__is_active=True,
        training_site__establishment__data_quality=DataQuality.CLEAN,
        specialty__in=campaign.specialties.all(),
        state__in=ACTIVE_ACCREDITATION_STATES,
    )
    expiring = base.filter(
        end_date__gte=campaign.filing_opens,
        end_date__lt=shifted(campaign.effective_from, years=1),
    )
    return base.filter(
        Q(pk__in=expiring.values("pk"))
        | Q(pk__in=accreditations_to_review(base).values("pk"))
    ).select_related("training_site", "supervisor")


@transaction.atomic
def campaign_publish(
    *, by: User, campaign: AccreditationCampaign, subject: str = "", body: str = ""
) -> CampaignMailing:
    """Opens the campaign: drafts for the renewals due, the mailing to every RTS and
    DAM of the region (sent by django-q2), the announcement on the public site."""
    permissions.require_campaign(by, campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Cette campagne est déjà publiée."))
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    audited(campaign, by).save()
    review = set(
        accreditations_to_review(renewals_due(campaign)).values_list("pk", flat=True)
    )
    for accreditation in renewals_due(campaign):
        if AccreditationRequest.objects.filter(
            campaign=campaign,
            training_site=accreditation.training_site,
            specialty=accreditation.specialty,
        ).exists():  # two accreditations of the site in the same specialty
            continue
        accreditation_request = AccreditationRequest(
            campaign=campaign,
            training_site=accreditation.training_site,
            specialty=accreditation.specialty,
            type=accreditation.type,
            renewal_of=accreditation,
            supervisor=accreditation.supervisor,
        )
        audited(accreditation_request, by).save()
        accreditation_request.phases.set(accreditation.phases.all())
        Transition.objects.create(
            request=accreditation_request,
            action="create",
            target=RequestStatus.DRAFT,
            by=author(by),
            reason=(
                _("Changement de responsable : nouvelle demande pré-sélectionnée.")
                if accreditation.pk in review
                else _("Renouvellement pré-sélectionné (agrément jusqu'au %s).")
                % accreditation.end_date.strftime("%d/%m/%Y")
            ),
        )
    mailing = CampaignMailing.objects.create(
        campaign=campaign,
        subject=subject or default_mailing_subject(campaign),
        body=body or default_mailing_body(campaign),
    )
    mailer.enqueue("domains.accreditation.tasks.send_mailing", mailing.pk)
    transaction.on_commit(
        lambda: campaign_published.send(sender=AccreditationCampaign, campaign=campaign)
    )
    return mailing


def default_mailing_subject(campaign: AccreditationCampaign) -> str:
    return _("Campagne d'agréments %(year)s — %(region)s : dépôts ouverts") % {
        "year": campaign.year,
        "region": campaign.region.name,
    }


def default_mailing_body(campaign: AccreditationCampaign) -> str:
    return _(
        "Bonjour,\n\nLa campagne d'agréments %(year)s de la région %(region)s est "
        "ouverte. Les responsables de terrain de stage déposent leurs dossiers dans "
        "SIIMOP jusqu'au %(closes)s. Les agréments arrivant à échéance sont "
        "pré-sélectionnés pour renouvellement.\n\nCalendrier : avis attendus pour le "
        "%(opinions)s, commission le %(commission)s, décisions au plus tard le "
        "%(decisions)s.\n\nResponsable de terrain sans compte SIIMOP : demandez-le "
        "depuis la page de connexion, l'ARS vous rattachera à votre terrain."
    ) % {
        "year": campaign.year,
        "region": campaign.region.name,
        "closes": timezone.localtime(campaign.filing_closes).strftime(
            "%d/%m/%Y à %H:%M"
        ),
        "opinions": campaign.opinions_due.strftime("%d/%m/%Y"),
        "commission": campaign.commission_date.strftime("%d/%m/%Y"),
        "decisions": campaign.decisions_by.strftime("%d/%m/%Y"),
    }


@transaction.atomic
def filing_close(
    *, by: User, campaign: AccreditationCampaign, now: dt.datetime | None = None
) -> int:
    """After the deadline, every submitted request goes to analysis (those the ARS
    reopened stay open until their own date)."""
    permissions.require_campaign(by, campaign)
    now = now or timezone.now()
    if now <= campaign.filing_closes:
        raise ValidationError(_("Le dépôt n'est pas encore clos."))
    return all_or_nothing(
        campaign.requests.filter(status=RequestStatus.SUBMITTED)
        .exclude(reopened_until__gt=now)
        .select_related("campaign", "training_site"),
        lambda accreditation_request: _move(accreditation_request, "close_filing", by),
    )


# --- the request and its dossier -------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    by: User,
    campaign: AccreditationCampaign,
    training_site: TrainingSite,
    specialty: Specialty,
    phases: Iterable[Phase],
    type: str = AccreditationType.PRINCIPAL,
    now: dt.datetime | None = None,
) -> AccreditationRequest:
    """An RTS asks for his site (clean sites only, in the campaign's region and
    specialties, before the deadline)."""
    permissions.require_supervisor(by, training_site)
    if training_site.subdivision.region_id != campaign.region_id:
        raise ValidationError(
            {"training_site": _("Ce terrain n'est pas dans la région de la campagne.")}
        )
    if (
        training_site.establishment.data_quality != DataQuality.CLEAN
        or not training_site.is_active
    ):
        raise ValidationError(
            {
                "training_site": _(
                    "Dépôt impossible : l'établissement de ce terrain n'est pas "
                    "identifié (FINESS ou SIRET à corriger) ou le terrain est inactif. "
                    "Demandez à l'ARS de corriger la fiche."
                )
            }
        )
    if not campaign.specialties.filter(pk=specialty.pk).exists():
        raise ValidationError(
            {"specialty": _("La campagne ne porte pas sur %s.") % specialty}
        )
    phases = list(phases)
    _phases_check(campaign, phases)
    accreditation_request = AccreditationRequest(
        campaign=campaign,
        training_site=training_site,
        specialty=specialty,
        type=type,
        supervisor=getattr(by, "person", None),
    )
    _filing_open(accreditation_request, now or timezone.now())
    accreditation_request.validate_constraints()
    audited(accreditation_request, by).save()
    accreditation_request.phases.set(phases)
    Transition.objects.create(
        request=accreditation_request,
        action="create",
        target=RequestStatus.DRAFT,
        by=author(by),
    )
    return accreditation_request


def _phases_check(campaign: AccreditationCampaign, phases: list[Phase]) -> None:
    if not phases:
        raise ValidationError({"phases": _("Choisissez au moins une phase.")})
    allowed = set(campaign.phases.values_list("pk", flat=True))
    outside = [str(p) for p in phases if p.pk not in allowed]
    if outside:
        raise ValidationError(
            {"phases": _("Phases hors campagne : %s.") % ", ".join(outside)}
        )


DOSSIER_FIELDS = (
    *(key for key, _label in DOSSIER_SECTIONS),
    "max_residents",
    "supervisor_specialty",
    "type",
)


@transaction.atomic
def dossier_save(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    phases: Iterable[Phase] | None = None,
    now: dt.datetime | None = None,
    **fields,
) -> AccreditationRequest:
    """The RTS saves his draft (or changes a submitted dossier before the deadline,
    to submit again)."""
    permissions.require_dossier(by, accreditation_request)
    accreditation_request.status = AccreditationRequest.objects.values_list(
        "status", flat=True
    ).get(pk=accreditation_request.pk)
    if accreditation_request.status not in (
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
    ):
        raise ValidationError(
            _("Le dossier n'est plus modifiable : la demande est « %s ».")
            % accreditation_request.get_status_display()
        )
    _filing_open(accreditation_request, now or timezone.now())
    unknown = set(fields) - set(DOSSIER_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %s.") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(accreditation_request, name, value)
    if phases is not None:
        phases = list(phases)
        _phases_check(accreditation_request.campaign, phases)
        accreditation_request.phases.set(phases)
    audited(accreditation_request, by).save(update_fields=list(fields))
    return accreditation_request


def _complete_check(accreditation_request: AccreditationRequest) -> None:
    errors = {}
    for key, label in DOSSIER_SECTIONS:
        if not getattr(accreditation_request, key).strip():
            errors[key] = _("Rubrique « %s » à remplir.") % label
    if not accreditation_request.max_residents:
        errors["max_residents"] = _("Indiquez le nombre maximal d'internes accueillis.")
    if accreditation_request.supervisor_specialty_id is None:
        errors["supervisor_specialty"] = _("Indiquez la spécialité du responsable.")
    elif (
        accreditation_request.type == AccreditationType.PRINCIPAL
        and accreditation_request.supervisor_specialty_id
        != accreditation_request.specialty_id
    ):
        errors["type"] = _(
            "Un agrément principal est demandé dans la spécialité du responsable "
            "(%(own)s), pas en %(asked)s : demandez un agrément complémentaire."
        ) % {
            "own": accreditation_request.supervisor_specialty,
            "asked": accreditation_request.specialty,
        }
    if not accreditation_request.phases.exists():
        errors["phases"] = _("Choisissez au moins une phase.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_submit(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    now: dt.datetime | None = None,
) -> DossierVersion:
    """Submits (or submits again) the dossier: a new version, kept."""
    roles = permissions.require_action(by, accreditation_request, "submit")
    if workflow.RTS in roles:
        _filing_open(accreditation_request, now or timezone.now())
    _complete_check(accreditation_request)
    first = accreditation_request.status == RequestStatus.DRAFT
    _move(accreditation_request, "submit", by)
    if workflow.RTS in roles and hasattr(by, "person"):
        # The accreditation will be tied to whoever files as the site's RTS.
        accreditation_request.supervisor = by.person
        accreditation_request.save(update_fields=["supervisor"])
    if first or accreditation_request.submitted_at is None:
        accreditation_request.submitted_at = timezone.now()
        accreditation_request.save(update_fields=["submitted_at"])
    number = accreditation_request.versions.count() + 1
    content = {
        **accreditation_request.dossier(),
        "specialty": str(accreditation_request.specialty),
        "phases": [str(p) for p in accreditation_request.phases.order_by("order")],
        "type": accreditation_request.get_type_display(),
        "max_residents": accreditation_request.max_residents,
        "supervisor": str(accreditation_request.supervisor)
        if accreditation_request.supervisor
        else "",
        "supervisor_specialty": str(accreditation_request.supervisor_specialty),
        "form_version": accreditation_request.campaign.form_version,
    }
    return DossierVersion.objects.create(
        request=accreditation_request,
        number=number,
        content=content,
        submitted_by=author(by),
    )


@transaction.atomic
def request_withdraw(
    *, by: User, accreditation_request: AccreditationRequest, reason: str = ""
):
    return _move(accreditation_request, "withdraw", by, reason)


@transaction.atomic
def request_reopen(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    until: dt.datetime,
    reason: str,
) -> AccreditationRequest:
    """The ARS lets one RTS file late: until a date, for a stated reason."""
    permissions.require_action(by, accreditation_request, "reopen")
    if not reason.strip():
        raise ValidationError({"reason": _("Dites pourquoi le dépôt est rouvert.")})
    if until <= timezone.now():
        raise ValidationError({"until": _("La nouvelle échéance doit être à venir.")})
    _move(accreditation_request, "reopen", by, reason.strip())
    accreditation_request.reopened_until = until
    accreditation_request.save(update_fields=["reopened_until"])
    return accreditation_request


@transaction.atomic
def attachment_add(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    title: str,
    upload,
    kind: str,
) -> Attachment:
    """A dossier piece (RTS, while filing) or the site visit report (ARS,
    coordinator, during the analysis): PDF only."""
    action = "visit_report" if kind == AttachmentKind.VISIT_REPORT else "attach"
    roles = permissions.require_action(by, accreditation_request, action)
    if action == "attach" and workflow.RTS in roles:
        _filing_open(accreditation_request, timezone.now())
    label = title.strip() or str(AttachmentKind(kind).label)
    pdf_check(upload, label)
    _move(accreditation_request, action, by, label)
    attachment = Attachment(
        request=accreditation_request, kind=kind, title=label, uploaded_by=author(by)
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def opinion_give(
    *, by: User, accreditation_request: AccreditationRequest, value: str, comment: str
) -> Opinion:
    """The coordinator's or the residents' representative's written opinion
    (may be revised until the commission)."""
    roles = permissions.require_action(by, accreditation_request, "opinion")
    if value not in OpinionValue.values:
        raise ValidationError({"value": _("Avis inconnu.")})
    if not comment.strip():
        raise ValidationError(
            {"comment": _("L'avis est écrit : ajoutez un commentaire.")}
        )
    _move(accreditation_request, "opinion", by, comment.strip())
    kind = (
        OpinionKind.COORDINATOR
        if workflow.COORDINATOR in roles
        else OpinionKind.REPRESENTATIVE
    )
    opinion, _created = Opinion.objects.update_or_create(
        request=accreditation_request,
        kind=kind,
        defaults={"value": value, "comment": comment.strip(), "author": by.person},
    )
    return opinion


@transaction.atomic
def requests_remind(
    *, by: User, accreditation_requests: Iterable[AccreditationRequest]
) -> int:
    """One click: every RTS of a draft is reminded of the deadline by e-mail; all the
    requests or none (the refusal names the request)."""
    reminded = []

    def remind(accreditation_request: AccreditationRequest) -> None:
        _move(accreditation_request, "remind", by)
        reminded.append(accreditation_request.pk)

    all_or_nothing(accreditation_requests, remind)
    AccreditationRequest.objects.filter(pk__in=reminded).update(
        reminded_at=timezone.now()
    )
    if reminded:
        mailer.enqueue("domains.accreditation.tasks.send_reminders", reminded)
    return len(reminded)


# --- commission and decision -----------------------------------------------------------


@transaction.atomic
def request_schedule(
    *, by: User, accreditation_request: AccreditationRequest
) -> AccreditationRequest:
    return _move(accreditation_request, "schedule", by)


def requests_schedule(
    *, by: User, accreditation_requests: Iterable[AccreditationRequest]
) -> int:
    """The commission's agenda in one go: all the requests or none, the refusal
    names the request."""
    return all_or_nothing(
        accreditation_requests,
        lambda accreditation_request: _move(accreditation_request, "schedule", by),
    )


@transaction.atomic
def proposal_record(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    outcome: str,
    reason: str = "",
) -> AccreditationRequest:
    """The commission's proposal, recorded live during the session."""
    permissions.require_action(by, accreditation_request, "propose")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Proposition inconnue.")})
    if outcome != Outcome.GRANTED and not reason.strip():
        raise ValidationError(
            {"reason": _("Motivez la proposition : %s.") % Outcome(outcome).label}
        )
    _move(accreditation_request, "propose", by, reason.strip())
    accreditation_request.proposal, accreditation_request.proposal_reason = (
        outcome,
        reason.strip(),
    )
    accreditation_request.save(update_fields=["proposal", "proposal_reason"])
    return accreditation_request


def missing_opinions(accreditation_request: AccreditationRequest) -> list[str]:
    campaign = accreditation_request.campaign
    given = {o.kind for o in accreditation_request.opinions.all()}
    needed = []
    if campaign.coordinator_opinion_required:
        needed.append(OpinionKind.COORDINATOR)
    if campaign.representative_opinion_required:
        needed.append(OpinionKind.REPRESENTATIVE)
    return [str(OpinionKind(k).label) for k in needed if k not in given]


OUTCOME_STATE = {
    Outcome.GRANTED: AccreditationState.GRANTED,
    Outcome.PROVISIONAL: AccreditationState.PROVISIONAL,
    Outcome.REFUSED: AccreditationState.REFUSED,
}


def _principal_end(accreditation_request: AccreditationRequest) -> dt.date | None:
    """End of the site's principal accreditation in force (or granted in this
    campaign), which a complementary one cannot outlast."""
    ends = Accreditation.objects.filter(
        training_site=accreditation_request.training_site,
        type=AccreditationType.PRINCIPAL,
        state__in=ACTIVE_ACCREDITATION_STATES,
        end_date__gte=accreditation_request.campaign.effective_from,
    ).values_list("end_date", flat=True)
    return max(ends, default=None)


@transaction.atomic
def decision_record(
    *,
    by: User,
    accreditation_request: AccreditationRequest,
    outcome: str = "",
    reason: str = "",
    override: str = "",
) -> AccreditationRequest:
    """The DG ARS decides: normally as proposed, otherwise with a reason; without the
    opinions the campaign requires only with an explicit override. The decision
    creates the accreditation of the referential (or ends the renewed one), and the
    letters go to the RTS and the DAM."""
    permissions.require_action(by, accreditation_request, "decide")
    outcome = outcome or accreditation_request.proposal
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Décision inconnue.")})
    if outcome != accreditation_request.proposal and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "La décision (%(decision)s) diffère de la proposition de la "
                    "commission (%(proposal)s) : motivez-la."
                )
                % {
                    "decision": Outcome(outcome).label,
                    "proposal": Outcome(accreditation_request.proposal).label,
                }
            }
        )
    if outcome in (Outcome.REFUSED, Outcome.DEFERRED) and not (
        reason.strip() or accreditation_request.proposal_reason
    ):
        raise ValidationError({"reason": _("Un refus ou un report est motivé.")})
    missing = missing_opinions(accreditation_request)
    if missing and not override.strip():
        raise ValidationError(
            {
                "override": _(
                    "Avis requis manquant(s) : %s. Décider sans eux demande un motif."
                )
                % ", ".join(missing)
            }
        )
    _move(accreditation_request, "decide", by, reason.strip() or override.strip())
    accreditation_request.decision = outcome
    accreditation_request.decision_reason = (
        reason.strip() or accreditation_request.proposal_reason
    )
    accreditation_request.opinions_override = override.strip() if missing else ""
    accreditation_request.decided_at = timezone.now()
    accreditation_request.accreditation = _accreditation_apply(
        by, accreditation_request, outcome
    )
    accreditation_request.save(
        update_fields=[
            "decision",
            "decision_reason",
            "opinions_override",
            "decided_at",
            "accreditation",
        ]
    )
    mailer.enqueue(
        "domains.accreditation.tasks.send_decision_letters", [accreditation_request.pk]
    )
    return accreditation_request


def _accreditation_apply(by, accreditation_request: AccreditationRequest, outcome: str):
    if outcome == Outcome.DEFERRED:
        return None
    start = accreditation_request.campaign.effective_from
    reference = _("Campagne %(year)s, demande n° %(n)s") % {
        "year": accreditation_request.campaign.year,
        "n": accreditation_request.pk,
    }
    end = accreditation_end(start, OUTCOME_STATE[outcome])
    if (
        outcome != Outcome.REFUSED
        and accreditation_request.type == AccreditationType.COMPLEMENTARY
    ):
        end = complementary_end(end, _principal_end(accreditation_request))
    renewed = accreditation_request.renewal_of
    if renewed is not None and outcome != Outcome.REFUSED and renewed.end_date >= start:
        # The renewal takes over: the former accreditation ends the day before.
        accreditation_update(
            accreditation=renewed, end_date=start - dt.timedelta(days=1), by=by
        )
    return accreditation_create(
        training_site=accreditation_request.training_site,
        specialty=accreditation_request.specialty,
        phases=accreditation_request.phases.all(),
        start_date=start,
        end_date=end,
        state=OUTCOME_STATE[outcome],
        type=accreditation_request.type,
        supervisor=accreditation_request.supervisor,
        decision_reference=reference,
        by=by,
    )
