"""Matching in the cockpit: APPARIEMENT (campaigns and their rounds), Mon appariement
for residents, Classements for site supervisors."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from domains.cockpit.registry import MenuEntry, Screen, registry
from domains.referential.perimeters import campaign_perimeter

from . import views
from .filters import CampaignFilter
from .forms import CampaignCreateForm
from .models import MatchingCampaign
from .selectors import visible_campaigns
from .tables import CampaignTable

SECTION = "APPARIEMENT"


ROUND = "<int:pk>/tours/<int:number>/"
RUN = ROUND + "calculs/<int:run_pk>/"

registry.register_screen(
    Screen(
        slug=views.SLUG,
        model=MatchingCampaign,
        label=_("Campagnes d'appariement"),
        section=SECTION,
        order=10,
        table_class=CampaignTable,
        filterset_class=CampaignFilter,
        selector=visible_campaigns,
        perimeter_objects=campaign_perimeter,
        create_form_class=CampaignCreateForm,
        detail_template="matching/campaign_detail.html",
        detail_context=views.campaign_context,
        export_columns=[
            (_("Campagne"), "name"),
            (_("Région"), "region.name"),
            (_("Semestre"), "semester"),
            (_("Tours"), "round_count"),
            (_("Priorité locale"), "local_priority"),
        ],
        extra_urls=[
            path(
                "<int:pk>/tours/nouveau/", views.round_create, name="matching_round_new"
            ),
            path(ROUND + "relancer/", views.round_remind, name="matching_remind"),
            path(ROUND + "calculer/", views.round_compute, name="matching_compute"),
            path(ROUND + "resultats/", views.round_results, name="matching_results"),
            path(ROUND + "audition/", views.hearing_decide, name="matching_hearing"),
            path(
                ROUND + "audition/publier/",
                views.hearing_publish,
                name="matching_hearing_publish",
            ),
            path(ROUND + "corriger/", views.result_correct, name="matching_correct"),
            path(RUN + "rejouer/", views.run_replay, name="matching_replay"),
            path(RUN + "publier/", views.run_publish, name="matching_publish"),
        ],
    )
)

registry.register_urls(
    [
        path("mon-appariement/", views.my_matching, name="my_matching"),
        path(
            "mon-appariement/<int:candidacy_pk>/piece/",
            views.my_file,
            name="my_matching_file",
        ),
        path(
            "mon-appariement/<int:candidacy_pk>/voeux/",
            views.my_wishes,
            name="my_matching_wishes",
        ),
        path("classements/", views.rankings, name="matching_rankings"),
        path("classements/<int:offer_pk>/", views.ranking, name="matching_ranking"),
        path(
            "candidatures/<int:candidacy_pk>/<str:piece>/",
            views.candidacy_file,
            name="matching_file",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Mon appariement"),
        url_name="my_matching",
        permission="matching.add_wish",
        order=0,
    )
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Classer mes candidats"),
        url_name="matching_rankings",
        permission="matching.add_rank",
        order=5,
    )
)

from . import home  # noqa: E402, F401  (the home tiles)
