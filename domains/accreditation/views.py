"""Accreditation pages beyond the generic screens: the campaign's dashboard and
publication, the RTS's space and dossier, the actions on a request, the commission
(agenda, PDF pack, live proposals, minutes), the DG ARS's decisions, the national
view, and the public list of accredited sites."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from domains.cockpit.bulk import refusal_reason
from domains.cockpit.export import pdf_response, xlsx_response
from domains.cockpit.views import (
    add_refusal,
    door,
    errors_text,
    get_record,
    get_screen,
    save_form,
)
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    Region,
    TrainingSite,
)
from domains.referential.selectors import accreditations_to_renew

from . import actions, documents, permissions, services, workflow
from .forms import (
    AttachmentForm,
    DecisionForm,
    DossierForm,
    ProposalForm,
    PublishForm,
    RequestCreateForm,
)
from .models import (
    DOSSIER_SECTIONS,
    AccreditationCampaign,
    AccreditationRequest,
    Attachment,
    AttachmentKind,
    CampaignStatus,
    Opinion,
    RequestStatus,
)
from .selectors import (
    accreditable_specialties,
    accreditations_in_force,
    accreditations_to_review,
    campaign_recipients,
    dashboard,
    national_rows,
    supervised_sites,
    visible_requests,
)

CAMPAIGNS = "campagnes-agrements"
REQUESTS = "demandes-agrement"


# --- the campaign ----------------------------------------------------------------------


def campaign_context(request, campaign) -> dict:
    manage = permissions.runs_campaigns_of(request.user, campaign.region)
    accreditation_requests = visible_requests(request.user).filter(campaign=campaign)
    context = {
        "board": dashboard(accreditation_requests),
        "may_manage": manage,
        "mailing": campaign.mailings.first(),
        "filing_over": timezone.now() > campaign.filing_closes,
    }
    if manage and campaign.status == CampaignStatus.PUBLISHED:
        # As services.filing_close selects them: submitted, not reopened.
        n = (
            campaign.requests.filter(status=RequestStatus.SUBMITTED)
            .exclude(reopened_until__gt=timezone.now())
            .count()
        )
        context["confirm_close"] = ngettext(
            "Clore les dépôts ? La demande déposée passe en analyse.",
            "Clore les dépôts ? Les %(n)d demandes déposées passent en analyse.",
            n,
        ) % {"n": n}
    if manage and campaign.status == CampaignStatus.DRAFT:
        n = len(campaign_recipients(campaign))  # whom the mailing task will write to
        context["confirm_publish"] = ngettext(
            "Publier la campagne ? L'annonce sera mise en ligne et l'e-mail envoyé à "
            "%(n)d destinataire (responsables de terrain et directions des affaires "
            "médicales de la région).",
            "Publier la campagne ? L'annonce sera mise en ligne et l'e-mail envoyé à "
            "%(n)d destinataires (responsables de terrain et directions des affaires "
            "médicales de la région).",
            n,
        ) % {"n": n}
        context["renewals"] = services.renewals_due(campaign).count()
        context["publish_form"] = PublishForm(
            initial={
                "subject": services.default_mailing_subject(campaign),
                "body": services.default_mailing_body(campaign),
            }
        )
    return context


def _managed_campaign(request, pk: int) -> AccreditationCampaign:
    campaign = get_record(request, get_screen(CAMPAIGNS), pk, "view")
    if not permissions.runs_campaigns_of(request.user, campaign.region):
        raise PermissionDenied(_("Seule l'ARS de la région conduit cette campagne."))
    return campaign


@login_required
@require_POST
def campaign_publish(request, pk: int):
    campaign = _managed_campaign(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid() and save_form(
        form,
        lambda: services.campaign_publish(
            by=request.user, campaign=campaign, **form.cleaned_data
        ),
    ):
        messages.success(
            request,
            _(
                "Campagne publiée : l'annonce est en ligne et l'e-mail part vers les "
                "responsables de terrain et les directions des affaires médicales."
            ),
        )
    else:
        messages.error(request, errors_text(form))
    return redirect(campaign.get_absolute_url())


@login_required
def mailing_log(request, pk: int):
    """The campaign e-mail's delivery log: each recipient, as what, sent when or why
    not (XLSX)."""
    campaign = _managed_campaign(request, pk)
    mailing = campaign.mailings.first()
    if mailing is None:
        raise Http404
    return xlsx_response(
        f"envoi-campagne-agrements-{campaign.year}-{campaign.region.code}",
        str(_("Remises")),
        [_("Adresse"), _("En tant que"), _("Envoyé le"), _("Revenu le"), _("Erreur")],
        (
            [d.email, d.roles, d.sent_at, d.bounced_at, d.error]
            for d in mailing.deliveries.order_by("email").iterator()
        ),
    )


@login_required
@require_POST
def campaign_close_filing(request, pk: int):
    campaign = _managed_campaign(request, pk)
    try:
        moved = services.filing_close(by=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s demande déposée passe en analyse.",
                "%(n)s demandes déposées passent en analyse.",
                moved,
            )
            % {"n": moved},
        )
    return redirect(campaign.get_absolute_url())


# --- a request -------------------------------------------------------------------------


def request_context(request, accreditation_request: AccreditationRequest) -> dict:
    roles = permissions.actor_roles(request.user, accreditation_request)
    available = workflow.available(accreditation_request.status, roles)
    offered = [name for name in available if name in actions.ON_PAGE]
    return {
        "roles": roles,
        "actions": available,
        # Plain buttons (they ask nothing) and the forms the page places.
        "buttons": [
            {
                "name": name,
                "label": workflow.ACTIONS[name].label,
                "confirm": actions.ON_PAGE[name].confirm,
            }
            for name in offered
            if actions.ON_PAGE[name].button
        ],
        "action_forms": {
            name: actions.ON_PAGE[name].unbound(request.user, accreditation_request)
            for name in offered
            if actions.ON_PAGE[name].form and not actions.ON_PAGE[name].button
        },
        "sections": [
            (label, getattr(accreditation_request, key))
            for key, label in DOSSIER_SECTIONS
        ],
        "versions": list(accreditation_request.versions.select_related("submitted_by")),
        "attachments": list(accreditation_request.attachments.all()),
        "opinions": list(accreditation_request.opinions.select_related("author")),
        "transitions": list(accreditation_request.transitions.select_related("by")),
        "deadline": services.filing_deadline(accreditation_request),
        "missing_opinions": services.missing_opinions(accreditation_request),
    }


def _request(request, pk: int) -> AccreditationRequest:
    return get_record(request, get_screen(REQUESTS), pk, "view")


def _run(form, write) -> bool:
    """A service for a valid form, in one transaction; its refusal (invalid data, or
    an actor it does not allow) becomes the form's error."""
    try:
        with transaction.atomic():
            write()
    except ValidationError as error:
        add_refusal(form, error)
    except PermissionDenied as error:
        form.add_error(None, refusal_reason(error))
    return not form.errors


@login_required
@require_POST
def request_action(request, pk: int, action: str):
    """Every action on a request from its pages, as declared in actions.ON_PAGE: its
    form, its service, its message. The service decides who may."""
    declared = actions.ON_PAGE.get(action)
    if declared is None:
        raise Http404
    accreditation_request = _request(request, pk)
    form = declared.bound(request.POST, request.FILES)
    if form.is_valid() and _run(
        form,
        lambda: declared.run(request.user, accreditation_request, **form.cleaned_data),
    ):
        messages.success(request, declared.success)
    else:
        messages.error(request, errors_text(form))
    back = request.POST.get("next", "")
    if back.startswith("/cockpit/"):
        return redirect(back)
    return redirect(accreditation_request.get_absolute_url())


@login_required
def attachment_download(request, pk: int, piece_pk: int):
    accreditation_request = _request(request, pk)
    attachment = get_object_or_404(
        Attachment, pk=piece_pk, request=accreditation_request
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{attachment.title}.pdf",
        content_type="application/pdf",
    )


# --- the RTS ---------------------------------------------------------------------------


@door("accreditation_home")
def accreditation_home(request):
    """MES AGRÉMENTS: the campaigns of his region, his accreditations in force, those
    to renew or to review, his requests, and a new request."""
    sites = supervised_sites(request.user)
    regions = {s.subdivision.region_id for s in sites}
    campaigns = AccreditationCampaign.objects.filter(
        region_id__in=regions, status=CampaignStatus.PUBLISHED
    ).select_related("region")
    in_force = accreditations_in_force(sites)
    form = RequestCreateForm(
        request.POST or None,
        request=request,
        sites=TrainingSite.objects.filter(pk__in=[s.pk for s in sites]),
        campaigns=campaigns,
    )
    if request.method == "POST" and form.is_valid():
        created = save_form(form, lambda: form.save_with(request.user))
        if created is not None:
            messages.success(request, _("Demande créée : complétez le dossier."))
            return redirect("cockpit:accreditation_dossier", created.pk)
    return render(
        request,
        "accreditation/home.html",
        {
            "sites": sites,
            "campaigns": campaigns,
            "in_force": in_force,
            "to_renew": accreditations_to_renew(in_force),
            "to_review": accreditations_to_review(in_force),
            "requests": AccreditationRequest.objects.filter(training_site__in=sites)
            .select_related("campaign", "specialty", "training_site")
            .order_by("-campaign__year", "training_site__name"),
            "form": form,
        },
    )


@login_required
def dossier_edit(request, pk: int):
    """The RTS's dossier: saved as a draft, submitted (and submitted again until the
    deadline, each version kept), PDF pieces attached."""
    accreditation_request = _request(request, pk)
    if workflow.RTS not in permissions.actor_roles(request.user, accreditation_request):
        messages.info(
            request, _("Seul le responsable du terrain modifie ce dossier : le voici.")
        )
        return redirect(accreditation_request.get_absolute_url())
    editable = accreditation_request.status in (
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
    )
    posted = request.method == "POST"
    piece = posted and "title" in request.POST  # the attachment form, not the dossier
    form = DossierForm(
        request.POST if posted and not piece else None,
        instance=accreditation_request,
        request=request,
    )
    attachment_form = AttachmentForm(
        request.POST if piece else None, request.FILES if piece else None
    )
    if posted:
        if piece:
            if attachment_form.is_valid() and save_form(
                attachment_form,
                lambda: services.attachment_add(
                    by=request.user,
                    accreditation_request=accreditation_request,
                    title=attachment_form.cleaned_data["title"],
                    upload=attachment_form.cleaned_data["file"],
                    kind=AttachmentKind.DOSSIER,
                ),
            ):
                messages.success(request, _("Pièce jointe ajoutée."))
                return redirect(
                    "cockpit:accreditation_dossier", accreditation_request.pk
                )
        elif form.is_valid() and save_form(form, lambda: form.save_with(request.user)):
            if "submit" in request.POST:
                if save_form(
                    form,
                    lambda: services.request_submit(
                        by=request.user, accreditation_request=accreditation_request
                    ),
                ):
                    messages.success(request, actions.ON_PAGE["submit"].success)
                    return redirect(accreditation_request.get_absolute_url())
            else:
                messages.success(request, _("Brouillon enregistré."))
                return redirect(
                    "cockpit:accreditation_dossier", accreditation_request.pk
                )
    return render(
        request,
        "accreditation/dossier.html",
        {
            "object": accreditation_request,
            "form": form,
            "attachment_form": attachment_form,
            "attachments": accreditation_request.attachments.all(),
            "versions": accreditation_request.versions.all(),
            "editable": editable,
            "deadline": services.filing_deadline(accreditation_request),
        },
    )


# --- commission and decisions ----------------------------------------------------------


def _on_agenda(request, campaign):
    return (
        visible_requests(request.user)
        .filter(
            campaign=campaign,
            status__in=[
                RequestStatus.COMMISSION,
                RequestStatus.PROPOSED,
                RequestStatus.DECIDED,
            ],
        )
        .prefetch_related(
            "phases",
            Prefetch("opinions", queryset=Opinion.objects.select_related("author")),
            "versions",
            "attachments",
        )
        .select_related("renewal_of", "supervisor_specialty")
        .order_by("specialty__label", "training_site__name")
    )


@login_required
def commission(request, pk: int):
    """Preparation and session: requests in analysis to put on the agenda, the agenda
    per specialty with opinions side by side, each proposal recorded live."""
    campaign = _managed_campaign(request, pk)
    if request.method == "POST" and "schedule_all" in request.POST:
        try:
            count = services.requests_schedule(
                by=request.user,
                accreditation_requests=visible_requests(request.user).filter(
                    campaign=campaign, status=RequestStatus.ANALYSIS
                ),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s demande inscrite à l'ordre du jour.",
                    "%(n)s demandes inscrites à l'ordre du jour.",
                    count,
                )
                % {"n": count},
            )
        return redirect("cockpit:accreditation_commission", campaign.pk)
    agenda = defaultdict(list)
    for accreditation_request in _on_agenda(request, campaign):
        opinions = {o.kind: o for o in accreditation_request.opinions.all()}
        agenda[accreditation_request.specialty.label].append(
            (accreditation_request, opinions)
        )
    return render(
        request,
        "accreditation/commission.html",
        {
            "campaign": campaign,
            "agenda": sorted(agenda.items()),
            "in_analysis": visible_requests(request.user)
            .filter(campaign=campaign, status=RequestStatus.ANALYSIS)
            .count(),
            "proposal_form": ProposalForm(),
        },
    )


@login_required
def commission_pack(request, pk: int):
    campaign = _managed_campaign(request, pk)
    accreditation_requests = _on_agenda(request, campaign).select_related(
        "training_site__establishment", "training_site__subdivision", "supervisor"
    )
    if request.GET.get("specialite"):
        accreditation_requests = accreditation_requests.filter(
            specialty_id=request.GET["specialite"]
        )
    return pdf_response(
        documents.commission_pack(campaign, accreditation_requests),
        f"commission-agrements-{campaign.year}-{campaign.region.code}",
    )


@login_required
def commission_minutes(request, pk: int):
    campaign = _managed_campaign(request, pk)
    return pdf_response(
        documents.minutes(campaign, _on_agenda(request, campaign)),
        f"proces-verbal-agrements-{campaign.year}-{campaign.region.code}",
    )


@login_required
def decisions(request, pk: int):
    """The DG ARS's decisions, request by request, on the commission's proposals."""
    campaign = _managed_campaign(request, pk)
    proposed = (
        visible_requests(request.user)
        .filter(campaign=campaign, status=RequestStatus.PROPOSED)
        .prefetch_related("opinions", "phases")
        .order_by("specialty__label", "training_site__name")
    )
    rows = [
        (
            accreditation_request,
            services.missing_opinions(accreditation_request),
            DecisionForm(
                initial={"outcome": accreditation_request.proposal},
                prefix=str(accreditation_request.pk),
            ),
        )
        for accreditation_request in proposed
    ]
    decided = (
        visible_requests(request.user)
        .filter(campaign=campaign, status=RequestStatus.DECIDED)
        .select_related("accreditation")
        .order_by("-decided_at")
    )
    return render(
        request,
        "accreditation/decisions.html",
        {"campaign": campaign, "rows": rows, "decided": decided},
    )


@door("accreditation_national")
def national(request):
    """DGOS (and UNESS): every region's campaign, its requests by state."""
    return render(
        request,
        "accreditation/national.html",
        {
            "rows": national_rows(),
            "statuses": RequestStatus.choices,
            "board": dashboard(AccreditationRequest.objects.all()),
        },
    )


# --- public ----------------------------------------------------------------------------


def accredited_sites(request):
    """The public list of accredited training sites, from the referential."""
    today = timezone.localdate()
    accreditations = (
        Accreditation.objects.filter(
            state__in=ACTIVE_ACCREDITATION_STATES,
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related(
            "training_site__establishment",
            "training_site__subdivision__region",
            "specialty",
        )
        .prefetch_related("phases")
        .order_by("training_site__subdivision__region__name", "training_site__name")
    )
    region = request.GET.get("region", "")
    specialty = request.GET.get("specialite", "")
    query = request.GET.get("q", "").strip()
    if region.isdigit():
        accreditations = accreditations.filter(
            training_site__subdivision__region_id=region
        )
    if specialty.isdigit():
        accreditations = accreditations.filter(specialty_id=specialty)
    if query:
        accreditations = accreditations.filter(training_site__name__icontains=query)
    return render(
        request,
        "accreditation/accredited_sites.html",
        {
            "page": Paginator(accreditations, 50).get_page(request.GET.get("page")),
            "regions": Region.objects.order_by("name"),
            "specialties": accreditable_specialties(),
            "region": region,
            "specialty": specialty,
            "q": query,
            "pager_query": urlencode(
                {
                    k: v
                    for k, v in (
                        ("q", query),
                        ("region", region),
                        ("specialite", specialty),
                    )
                    if v
                }
            )
            + "&",
        },
    )
