"""Accreditation campaigns in the cockpit: AGRÉMENTS (campaigns, requests, the
commission, the decisions, the national view) and the RTS's Mes agréments."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from domains.cockpit.registry import BulkAction, MenuEntry, Screen, counted, registry
from domains.people.roles import Role

from . import services, views
from .filters import CampaignFilter, RequestFilter
from .forms import CampaignCreateForm
from .models import AccreditationCampaign, AccreditationRequest, RequestStatus
from .permissions import campaign_perimeter, request_perimeter
from .selectors import (
    visible_campaigns,
    visible_requests,
)
from .tables import CampaignTable, RequestTable

SECTION = "AGRÉMENTS"


registry.register_screen(
    Screen(
        slug=views.CAMPAIGNS,
        model=AccreditationCampaign,
        label=_("Campagnes d'agréments"),
        section=SECTION,
        order=10,
        table_class=CampaignTable,
        filterset_class=CampaignFilter,
        selector=visible_campaigns,
        perimeter_objects=campaign_perimeter,
        create_form_class=CampaignCreateForm,
        detail_template="accreditation/campaign_detail.html",
        detail_context=views.campaign_context,
        export_columns=[
            (_("Campagne"), "name"),
            (_("Région"), "region.name"),
            (_("Année"), "year"),
            (_("État"), "get_status_display"),
            (_("Clôture des dépôts"), "filing_closes"),
            (_("Commission"), "commission_date"),
            (_("Demandes"), "request_count"),
        ],
        extra_urls=[
            path(
                "<int:pk>/publier/",
                views.campaign_publish,
                name="accreditation_publish",
            ),
            path(
                "<int:pk>/envoi/journal.xlsx",
                views.mailing_log,
                name="accreditation_mailing_log",
            ),
            path(
                "<int:pk>/clore-depots/",
                views.campaign_close_filing,
                name="accreditation_close_filing",
            ),
            path(
                "<int:pk>/commission/",
                views.commission,
                name="accreditation_commission",
            ),
            path(
                "<int:pk>/commission/dossiers.pdf",
                views.commission_pack,
                name="accreditation_pack",
            ),
            path(
                "<int:pk>/commission/proces-verbal.pdf",
                views.commission_minutes,
                name="accreditation_minutes",
            ),
            path(
                "<int:pk>/decisions/", views.decisions, name="accreditation_decisions"
            ),
        ],
    )
)


def remind(user, records, **params) -> int:
    return services.requests_remind(by=user, accreditation_requests=records)


registry.register_screen(
    Screen(
        slug=views.REQUESTS,
        model=AccreditationRequest,
        label=_("Demandes d'agrément"),
        section=SECTION,
        order=20,
        table_class=RequestTable,
        filterset_class=RequestFilter,
        selector=visible_requests,
        perimeter_objects=request_perimeter,
        detail_template="accreditation/request_detail.html",
        detail_context=views.request_context,
        bulk_actions=[
            BulkAction(
                name="relancer",
                label=_("Relancer les responsables (brouillons)"),
                permission="change",
                run=remind,
                preview=lambda user, records: {
                    r.pk: _("n'est plus en brouillon : la relance sera refusée")
                    for r in records
                    if r.status != RequestStatus.DRAFT
                },
                confirm=counted(
                    ngettext_lazy(
                        "Relancer par e-mail le responsable du terrain de cette "
                        "demande ?",
                        "Relancer par e-mail les responsables des terrains de ces "
                        "%(count)d demandes ?",
                        "count",
                    ),
                    people=ngettext_lazy(
                        "%(count)d terrain de stage concerné.",
                        "%(count)d terrains de stage concernés.",
                        "count",
                    ),
                    concerned=lambda requests: len(
                        {r.training_site_id for r in requests}
                    ),
                    then=_(
                        "Seules les demandes encore en brouillon se relancent : si "
                        "l'une d'elles ne l'est plus, aucune relance ne part."
                    ),
                ),
            )
        ],
        export_columns=[
            (_("N°"), "pk"),
            (_("Campagne"), "campaign.name"),
            (_("Terrain de stage"), "training_site.name"),
            (_("Établissement"), "training_site.establishment.name"),
            (_("Subdivision"), "training_site.subdivision.name"),
            (_("Spécialité"), "specialty.label"),
            (_("Type"), "get_type_display"),
            (_("État"), "get_status_display"),
            (_("Déposée le"), "submitted_at"),
            (_("Relancée le"), "reminded_at"),
            (_("Proposition"), "get_proposal_display"),
            (_("Décision"), "get_decision_display"),
        ],
        extra_urls=[
            path(
                "<int:pk>/action/<str:action>/",
                views.request_action,
                name="accreditation_action",
            ),
            path(
                "<int:pk>/pieces/<int:piece_pk>/",
                views.attachment_download,
                name="accreditation_attachment",
            ),
            path("<int:pk>/dossier/", views.dossier_edit, name="accreditation_dossier"),
        ],
    )
)

registry.register_urls(
    [
        path("mes-agrements/", views.accreditation_home, name="accreditation_home"),
        path(
            "vue-nationale-agrements/",
            views.national,
            name="accreditation_national",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Mes agréments"),
        url_name="accreditation_home",
        permission="accreditation.add_accreditationrequest",
        order=0,
        roles=(Role.SITE_SUPERVISOR,),
        refusal=_(
            "Cet espace est celui des responsables de terrain de stage (RTS). "
            "Sans compte rattaché à votre terrain, demandez-le depuis la page de "
            "connexion : l'ARS vous rattachera."
        ),
    )
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Vue nationale des agréments"),
        url_name="accreditation_national",
        permission="accreditation.view_accreditationcampaign",
        order=30,
        national=True,
        refusal=_("La vue nationale est celle de la DGOS et de l'UNESS."),
    )
)

from . import home  # noqa: E402, F401  (the home tiles)
