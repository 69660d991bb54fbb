"""The semester cycle in the cockpit: the semester activity (list, summary, the
resident's declaration)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from domains.cockpit.registry import (
    BulkAction,
    Decision,
    MenuEntry,
    Screen,
    counted,
    registry,
)
from domains.people.roles import Role

from . import views
from .filters import ActivityLineFilter, CallListFilter
from .forms import ActivityLineForm
from .models import ActivityLine, CallList, CallListStatus
from .permissions import call_list_perimeter, line_perimeter
from .selectors import visible_activity_lines, visible_call_lists
from .services import activity_validate, call_list_publish
from .tables import ActivityLineTable, CallListTable

SECTION = "INTERNES"

registry.register_screen(
    Screen(
        slug=views.SLUG,
        model=ActivityLine,
        label=_("Activité semestrielle"),
        section=SECTION,
        order=30,
        table_class=ActivityLineTable,
        filterset_class=ActivityLineFilter,
        selector=visible_activity_lines,
        perimeter_objects=line_perimeter,
        form_class=ActivityLineForm,
        bulk_actions=[
            BulkAction(
                name="validate",
                label=_("Valider les lignes"),
                permission="change",
                run=lambda user, records, **params: activity_validate(
                    by=user, lines=list(records)
                ),
                confirm=counted(
                    ngettext_lazy(
                        "Valider la situation de cette interne ?",
                        "Valider la situation de ces %(count)d internes ?",
                        "count",
                    )
                ),
            )
        ],
        export_columns=[
            ("Nom", lambda line: line.resident.person.last_name),
            ("Prénom", lambda line: line.resident.person.first_name),
            ("Semestre", lambda line: str(line.semester)),
            ("DES", lambda line: line.specialty.label if line.specialty else ""),
            ("Phase", lambda line: line.phase.label if line.phase else ""),
            ("Situation", lambda line: line.get_kind_display()),
            ("Motif", "reason"),
            ("Origine", lambda line: line.get_source_display()),
            ("État", lambda line: line.get_status_display()),
        ],
    )
)


def _publish(by, record):
    return call_list_publish(by=by, call_list=record)


registry.register_screen(
    Screen(
        slug=views.CALL_LISTS_SLUG,
        model=CallList,
        label=_("Listes d'appel"),
        section=SECTION,
        order=33,
        table_class=CallListTable,
        filterset_class=CallListFilter,
        selector=visible_call_lists,
        perimeter_objects=call_list_perimeter,
        detail_template="choices/call_list_detail.html",
        detail_context=views.call_list_context,
        decisions=[
            Decision(
                name="publier",
                label=_("Publier la liste"),
                run=_publish,
                success=_("%(record)s : liste publiée, chaque interne voit son rang."),
                confirm=_(
                    "Publier cette liste ? Chaque interne y verra son rang ; elle ne "
                    "se modifiera plus."
                ),
                applies=lambda record: record.status == CallListStatus.DRAFT,
            )
        ],
        extra_urls=[
            path("etablir/", views.call_lists_compute, name="call_lists_compute"),
            path("<int:pk>/ajuster/", views.call_list_adjust, name="call_list_adjust"),
        ],
    )
)
registry.register_urls(
    [
        path(
            f"{views.SLUG}/synthese/",
            views.activity_summary,
            name="activity_summary",
        ),
        path(
            f"{views.SLUG}/preremplir/",
            views.activity_prefill,
            name="activity_prefill",
        ),
        path("mon-semestre-prochain/", views.my_activity, name="my_activity"),
        path(
            "ouverture-des-postes/",
            views.opening_coverage,
            name="opening_coverage",
        ),
    ]
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Synthèse de l'activité semestrielle"),
        url_name="activity_summary",
        permission="choices.view_activityline",
        order=31,
    )
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Ouverture des postes (règle des 107 %)"),
        url_name="opening_coverage",
        permission="choices.view_activityline",
        order=32,
        roles=(
            Role.ARS,
            Role.FACULTY_REGISTRY,
            Role.COORDINATOR,
            Role.DGOS,
            Role.UNESS_ADMIN,
        ),
        refusal=_("L'ouverture des postes est suivie par l'ARS, la faculté et l'État."),
    )
)
registry.register_menu(
    MenuEntry(
        section="MES INFORMATIONS",
        label=_("Mon semestre prochain"),
        url_name="my_activity",
        permission="choices.add_activityline",
        order=3,
        roles=(Role.RESIDENT,),
        refusal=_("Cette page est celle des internes."),
    )
)

from . import home  # noqa: E402, F401  (the home tiles)
