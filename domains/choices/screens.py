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
from .filters import (
    ActivityLineFilter,
    CallListFilter,
    ChoiceGroupFilter,
    HostingFilter,
    OpeningFilter,
)
from .forms import (
    ActivityLineForm,
    ChoiceGroupCreateForm,
    ChoiceGroupForm,
    HostingDecisionForm,
    HostingOpinionForm,
    PublishForm,
    ReopenForm,
    SignForm,
    WishesUntilForm,
)
from .models import (
    ActivityLine,
    CallList,
    CallListStatus,
    ChoiceGroup,
    HostingStatus,
    InterChuHosting,
    OpeningRule,
    OpeningStatus,
    PostOpening,
)
from .permissions import (
    OPENING_READERS,
    call_list_perimeter,
    choice_group_perimeter,
    hosting_perimeter,
    line_perimeter,
    opening_perimeter,
    opening_rule_perimeter,
)
from .rule_screen import OpeningRuleFilter, OpeningRuleForm, OpeningRuleTable
from .selectors import (
    visible_activity_lines,
    visible_call_lists,
    visible_choice_groups,
    visible_hostings,
    visible_opening_rules,
    visible_openings,
)
from .services import (
    activity_validate,
    call_list_freeze,
    call_list_publish,
    call_list_reopen,
    choice_group_delete,
    hosting_decide,
    hosting_opinion_give,
    opening_publish,
    opening_rule_delete,
    opening_sign,
)
from .session_services import choice_session_open
from .tables import (
    ActivityLineTable,
    CallListTable,
    ChoiceGroupTable,
    HostingTable,
    OpeningTable,
)

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


def _publish(by, record, contests_until=None):
    return call_list_publish(by=by, call_list=record, contests_until=contests_until)


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
                form=lambda request, record: PublishForm(request.POST, request=request),
                success=_("%(record)s : liste publiée, chaque interne voit son rang."),
                confirm=_(
                    "Publier cette liste ? Chaque interne y verra son rang ; elle ne "
                    "se modifiera plus."
                ),
                applies=lambda record: record.status == CallListStatus.DRAFT,
            ),
            Decision(
                name="arreter",
                label=_("Arrêter la liste pour le choix"),
                run=lambda by, record: call_list_freeze(by=by, call_list=record),
                success=_("%(record)s : liste arrêtée pour la séance de choix."),
                confirm=_(
                    "Arrêter cette liste ? Elle ne se contestera ni ne se modifiera "
                    "plus : c'est l'ordre d'appel de la séance de choix."
                ),
                applies=lambda record: record.status == CallListStatus.PUBLISHED,
            ),
            Decision(
                name="ouvrir-amphi",
                label=_("Ouvrir la saisie des vœux"),
                run=lambda by, record, wishes_until: choice_session_open(
                    by=by, call_list=record, wishes_until=wishes_until
                ),
                form=lambda request, record: WishesUntilForm(
                    request.POST, request=request
                ),
                success=_(
                    "%(record)s : saisie des vœux ouverte, chaque interne est prévenu."
                ),
                applies=lambda record: (
                    record.status == CallListStatus.FROZEN
                    and not hasattr(record, "session")
                ),
            ),
            Decision(
                name="reprendre",
                label=_("Reprendre la liste"),
                run=lambda by, record, reason: call_list_reopen(
                    by=by, call_list=record, reason=reason
                ),
                form=lambda request, record: ReopenForm(request.POST, request=request),
                success=_("%(record)s : liste reprise ; ajustez-la puis republiez-la."),
                applies=lambda record: record.status == CallListStatus.PUBLISHED,
            ),
        ],
        extra_urls=[
            path("etablir/", views.call_lists_compute, name="call_lists_compute"),
            path("<int:pk>/ajuster/", views.call_list_adjust, name="call_list_adjust"),
            path(
                "<int:pk>/hors-choix/",
                views.call_list_out_of_choice,
                name="call_list_out_of_choice",
            ),
            path(
                "<int:pk>/ajouter/",
                views.call_list_add_resident,
                name="call_list_add_resident",
            ),
            path("<int:pk>/pdf/", views.call_list_pdf, name="call_list_pdf"),
            path("<int:pk>/xlsx/", views.call_list_xlsx, name="call_list_xlsx"),
            path(
                "<int:pk>/contestations/<int:contest>/repondre/",
                views.call_list_contest_answer,
                name="call_list_contest_answer",
            ),
        ],
    )
)
registry.register_screen(
    Screen(
        slug="groupes-de-choix",
        model=ChoiceGroup,
        label=_("Groupes de choix"),
        section=SECTION,
        order=34,
        table_class=ChoiceGroupTable,
        filterset_class=ChoiceGroupFilter,
        selector=visible_choice_groups,
        perimeter_objects=choice_group_perimeter,
        detail_template="choices/choice_group_detail.html",
        form_class=ChoiceGroupForm,
        create_form_class=ChoiceGroupCreateForm,
        delete=lambda user, group: choice_group_delete(by=user, group=group),
        export_columns=[
            ("Groupe", "label"),
            ("Subdivision", lambda group: str(group.subdivision)),
            (
                "DES",
                lambda group: ", ".join(s.label for s in group.specialties.all()),
            ),
        ],
    )
)
registry.register_screen(
    Screen(
        slug=views.OPENINGS_SLUG,
        model=PostOpening,
        label=_("Arrêtés d'ouverture des postes"),
        section=SECTION,
        order=32,
        table_class=OpeningTable,
        filterset_class=OpeningFilter,
        selector=visible_openings,
        perimeter_objects=opening_perimeter,
        detail_template="choices/opening_detail.html",
        detail_context=views.opening_context,
        decisions=[
            Decision(
                name="signer",
                label=_("Signer l'arrêté"),
                permission="sign",
                run=lambda by, record, **fields: opening_sign(
                    by=by, opening=record, **fields
                ),
                form=lambda request, record: SignForm(request.POST, request=request),
                success=_("%(record)s : arrêté signé ; les postes sont arrêtés."),
                applies=lambda record: record.status == OpeningStatus.DRAFT,
            ),
            Decision(
                name="publier",
                label=_("Publier l'arrêté"),
                permission="sign",
                run=lambda by, record: opening_publish(by=by, opening=record),
                success=_(
                    "%(record)s : arrêté publié ; les internes concernés sont prévenus "
                    "par e-mail."
                ),
                confirm=_(
                    "Publier l'arrêté ? Il paraît sur le site public et chaque interne "
                    "qui choisit dans la subdivision reçoit un e-mail."
                ),
                applies=lambda record: record.status == OpeningStatus.SIGNED,
            ),
        ],
        export_columns=[
            ("Subdivision", lambda o: str(o.subdivision)),
            ("Semestre", lambda o: str(o.semester)),
            ("État", lambda o: o.get_status_display()),
            ("Arrêté", "decree_reference"),
            ("Signé le", "signed_at"),
            ("Publié le", "published_at"),
        ],
        extra_urls=[
            path("preparer/", views.opening_start, name="opening_start"),
            path("<int:pk>/reprendre/", views.opening_copy, name="opening_copy"),
            path("<int:pk>/avis/", views.opening_opinion, name="opening_opinion"),
            path("<int:pk>/arrete.pdf", views.opening_decree, name="opening_decree"),
            path(
                "<int:pk>/compte-rendu.pdf",
                views.opening_minutes,
                name="opening_minutes",
            ),
            path("<int:pk>/postes.xlsx", views.opening_xlsx, name="opening_xlsx"),
        ],
    )
)


def _pending(record) -> bool:
    return record.status == HostingStatus.PENDING


registry.register_screen(
    Screen(
        slug="accueils-interchu",
        model=InterChuHosting,
        label=_("InterCHU à accueillir"),
        section=SECTION,
        order=29,
        table_class=HostingTable,
        filterset_class=HostingFilter,
        selector=visible_hostings,
        perimeter_objects=hosting_perimeter,
        detail_template="choices/hosting_detail.html",
        detail_context=lambda request, record: {
            "opinion_form": HostingOpinionForm(request=request),
            "decision_form": HostingDecisionForm(request=request),
        },
        decisions=[
            Decision(
                name="avis",
                label=_("Donner l'avis du DES"),
                permission="opine",
                run=lambda by, record, **fields: hosting_opinion_give(
                    by=by, hosting=record, **fields
                ),
                form=lambda request, record: HostingOpinionForm(
                    request.POST, request=request
                ),
                success=_("%(record)s : avis enregistré ; l'ARS décide."),
                applies=_pending,
            ),
            Decision(
                name="accepter",
                label=_("Accepter l'accueil"),
                run=lambda by, record, reason: hosting_decide(
                    by=by, hosting=record, accept=True, reason=reason
                ),
                form=lambda request, record: HostingDecisionForm(
                    request.POST, request=request
                ),
                success=_("%(record)s : accueil accepté ; l'interne est prévenue."),
                applies=_pending,
            ),
            Decision(
                name="refuser",
                label=_("Refuser l'accueil"),
                run=lambda by, record, reason: hosting_decide(
                    by=by, hosting=record, accept=False, reason=reason
                ),
                form=lambda request, record: HostingDecisionForm(
                    request.POST, request=request
                ),
                success=_("%(record)s : accueil refusé ; l'interne est prévenue."),
                applies=_pending,
            ),
        ],
        export_columns=[
            ("Nom", lambda h: h.situation.resident.person.last_name),
            ("Prénom", lambda h: h.situation.resident.person.first_name),
            ("Origine", lambda h: str(h.situation.resident.subdivision)),
            ("Accueil", lambda h: str(h.host_subdivision)),
            ("DES", lambda h: h.specialty.label if h.specialty else ""),
            ("Du", lambda h: h.situation.start_date),
            ("Au", lambda h: h.situation.end_date),
            ("Avis du coordonnateur", lambda h: h.get_coordinator_opinion_display()),
            ("Accord", lambda h: h.get_status_display()),
            ("Motif", "reason"),
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
        path(
            f"{views.SLUG}/date-limite/",
            views.activity_deadline,
            name="activity_deadline",
        ),
        path("mon-semestre-prochain/", views.my_activity, name="my_activity"),
        path(
            "mon-semestre-prochain/contester/",
            views.call_list_contest,
            name="call_list_contest",
        ),
        path(
            "ouverture-des-postes/",
            views.opening_coverage,
            name="opening_coverage",
        ),
        path(
            "ouverture-des-postes/nationale/",
            views.opening_national,
            name="opening_national",
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
        roles=OPENING_READERS,
        refusal=_("L'ouverture des postes est suivie par l'ARS, la faculté et l'État."),
    )
)
registry.register_menu(
    MenuEntry(
        section=SECTION,
        label=_("Ouverture des postes : vue nationale"),
        url_name="opening_national",
        permission="choices.view_postopening",
        order=34,
        national=True,
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

# The opening rules of a region (107 % by default): its ARS keeps them, next to the
# post openings; DGOS and UNESS read every region's.
registry.register_screen(
    Screen(
        slug="regles-ouverture",
        model=OpeningRule,
        label=_("Règles d'ouverture des postes"),
        section=SECTION,
        order=32,
        table_class=OpeningRuleTable,
        filterset_class=OpeningRuleFilter,
        selector=visible_opening_rules,
        perimeter_objects=opening_rule_perimeter,
        form_class=OpeningRuleForm,
        create_form_class=OpeningRuleForm,
        delete=lambda user, record: opening_rule_delete(by=user, rule=record),
        export_columns=[
            ("Région", lambda r: r.region.name),
            ("DES", lambda r: r.specialty.label if r.specialty else "Tous les DES"),
            ("Ratio", "ratio"),
            ("Seuil", "threshold"),
            ("Supplément au-delà du seuil", "extra"),
            ("Règle", "formula"),
            ("Commentaire", "comment"),
        ],
    )
)

from . import home, session_screens  # noqa: E402, F401  (home tiles, amphis)
