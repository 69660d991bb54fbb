"""The accreditation campaigns' tiles on the roles' homes: what each person has to do
in the campaigns of her perimeter, each tile linking to the requests it counts."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from domains.cockpit.home import list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from . import views
from .models import CampaignStatus, RequestStatus
from .selectors import (
    visible_campaigns,
    visible_requests,
)

CAMPAIGNS = _("Campagnes d'agrément")
IN_PROGRESS = (
    RequestStatus.SUBMITTED,
    RequestStatus.ANALYSIS,
    RequestStatus.COMMISSION,
    RequestStatus.PROPOSED,
)


def next_step(campaign, now=None) -> tuple[str, object]:
    """The campaign's coming deadline: (what, when)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today < campaign.filing_opens:
        return _("Dépôts à partir du"), campaign.filing_opens
    if now <= campaign.filing_closes:
        return _("Dépôts ouverts jusqu'au"), timezone.localdate(campaign.filing_closes)
    if today <= campaign.opinions_due:
        return _("Avis attendus pour le"), campaign.opinions_due
    if today <= campaign.commission_date:
        return _("Commission le"), campaign.commission_date
    return _("Décisions au plus tard le"), campaign.decisions_by


def supervisor_cards(request):
    requests = visible_requests(request.user)
    drafts = requests.filter(status=RequestStatus.DRAFT).count()
    pending = requests.filter(status__in=IN_PROGRESS).count()
    return [
        Card(
            title=_("Mes demandes d'agrément en brouillon"),
            value=drafts,
            description=_("à compléter et déposer avant la clôture"),
            url=reverse("cockpit:accreditation_home"),
            level="warning" if drafts else "success",
            group=CAMPAIGNS,
        ),
        Card(
            title=_("Mes demandes en cours d'examen"),
            value=pending,
            description=_("déposées, en attente de la décision du DG ARS"),
            url=reverse("cockpit:accreditation_home"),
            group=CAMPAIGNS,
        ),
    ]


def campaign_cards(request):
    """Each running campaign of the perimeter and its coming deadline."""
    campaigns = (
        visible_campaigns(request.user)
        .filter(status=CampaignStatus.PUBLISHED)
        .order_by("filing_closes")[:3]
    )
    cards = []
    for campaign in campaigns:
        what, when = next_step(campaign)
        cards.append(
            Card(
                title=campaign.name,
                value=f"{what} {date_format(when, 'd/m/Y')}",
                url=reverse(
                    f"cockpit:{views.CAMPAIGNS.replace('-', '_')}_detail",
                    args=[campaign.pk],
                ),
                group=CAMPAIGNS,
            )
        )
    return cards


def ars_cards(request):
    return [
        *list_card(
            request,
            views.REQUESTS,
            _("Demandes d'agrément en retard"),
            filters={"late": "true"},
            description=_(
                "brouillons non déposés : clôture passée ou dans moins de 7 jours"
            ),
            group=CAMPAIGNS,
            warn=True,
        ),
        *list_card(
            request,
            views.REQUESTS,
            _("Décisions à signer"),
            filters={"status": RequestStatus.PROPOSED},
            description=_("propositions de la commission, à décider par le DG ARS"),
            group=CAMPAIGNS,
            warn=True,
        ),
    ]


def opinion_cards(request):
    return list_card(
        request,
        views.REQUESTS,
        _("Avis à donner sur les agréments"),
        filters={"opinion_due": "true"},
        description=_("demandes d'agrément en analyse, sans votre avis"),
        group=CAMPAIGNS,
        warn=True,
    )


def establishment_cards(request):
    return [
        *list_card(
            request,
            views.REQUESTS,
            _("Demandes d'agrément en cours d'examen"),
            filters={"status": RequestStatus.ANALYSIS},
            description=_("dossiers des terrains de l'établissement, en analyse"),
            group=CAMPAIGNS,
        )
    ]


def national_cards(request):
    return list_card(
        request,
        views.CAMPAIGNS,
        _("Campagnes d'agrément publiées"),
        filters={"status": CampaignStatus.PUBLISHED},
        description=_("dans toutes les régions"),
        group=CAMPAIGNS,
    )


registry.register_dashboard(national_cards, roles=(Role.DGOS, Role.UNESS_ADMIN))
registry.register_dashboard(supervisor_cards, roles=(Role.SITE_SUPERVISOR,))
registry.register_dashboard(
    campaign_cards, roles=(Role.ARS, Role.FACULTY_REGISTRY, Role.COORDINATOR)
)
registry.register_dashboard(ars_cards, roles=(Role.ARS,))
registry.register_dashboard(
    opinion_cards, roles=(Role.COORDINATOR, Role.RESIDENT_REPRESENTATIVE)
)
registry.register_dashboard(
    establishment_cards, roles=(Role.MEDICAL_AFFAIRS, Role.ESTABLISHMENT_DIRECTOR)
)
