"""UNESS Assistance in the cockpit: the agents' tickets (ASSISTANCE section), scoped
to their teams by `visible_tickets` on the list, the page, the actions and the export
alike; those a level-1 team handed on stay in its sight, read only."""

import django_filters
import django_tables2 as tables
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from helpdesk.models import Ticket

from domains.cockpit.filters import CockpitFilterSet, yes_no_filter
from domains.cockpit.home import list_card
from domains.cockpit.registry import Decision, MenuEntry, Screen, registry
from domains.cockpit.tables import CockpitTable
from domains.people.roles import Role

from . import views
from .forms import AnswerForm, PeriodForm, PriorityForm, ReasonForm
from .models import Category, Period, Tier
from .selectors import handling_teams, visible_tickets
from .services import (
    answer_send,
    is_settled,
    period_delete,
    ticket_deescalate,
    ticket_escalate,
    ticket_prioritize,
)
from .targets import is_overdue


def _page(record) -> str:
    # Not Ticket.get_absolute_url: django-helpdesk's own staff pages are not mounted.
    return reverse("cockpit:demandes_assistance_detail", args=[record.pk])


class TicketTable(CockpitTable):
    id = tables.Column(verbose_name=_("N°"), linkify=_page)
    title = tables.Column(verbose_name=_("Objet"), linkify=_page)
    category = tables.Column(
        accessor="siimop__category", verbose_name=_("Catégorie"), orderable=False
    )
    queue = tables.Column(verbose_name=_("Équipe"))
    created = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name=_("Déposée le"))
    status = tables.Column(verbose_name=_("État"))
    overdue = tables.Column(
        verbose_name=_("Délais"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta(CockpitTable.Meta):
        model = Ticket
        fields = ("id", "title", "category", "queue", "created", "status", "overdue")

    def render_category(self, record):
        return record.siimop.get_category_display()

    def render_overdue(self, record):
        if not getattr(record, "late", False):
            return "—"
        return format_html(
            '<p class="fr-badge fr-badge--error fr-badge--sm">{}</p>', _("En retard")
        )


class TicketFilter(CockpitFilterSet):
    search_fields = ("title", "description", "submitter_email")
    category = django_filters.ChoiceFilter(
        field_name="siimop__category", choices=Category.choices, label=_("Catégorie")
    )
    status = django_filters.ChoiceFilter(choices=Ticket.STATUS_CHOICES, label=_("État"))
    late = yes_no_filter(_("En retard"), method="filter_late")
    escalated = yes_no_filter(_("Transmises au niveau 2"), method="filter_escalated")

    class Meta(CockpitFilterSet.Meta):
        model = Ticket
        fields = ["q", "category", "status", "late", "escalated"]

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        at_level_2 = Q(siimop__escalated=True, queue__team__tier=Tier.LEVEL_2)
        return queryset.filter(at_level_2) if value else queryset.exclude(at_level_2)

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(late=value)


def tickets_for_list(user):
    return (
        visible_tickets(user)
        .select_related("queue", "siimop")
        .annotate(late=ExpressionWrapper(is_overdue(), output_field=BooleanField()))
        .order_by("-created")
    )


def ticket_perimeter(ticket):
    """The subdivisions of the level-1 teams it is in or went through: their agents
    open it (the services let only its team now act); level 2 is national."""
    return [
        team.subdivision
        for team in handling_teams(ticket).select_related("subdivision")
    ]


def _answer(resolve: bool):
    return lambda by, ticket, text: answer_send(
        by=by, ticket=ticket, text=text, resolve=resolve
    )


def _at_level_2(ticket) -> bool:
    team = getattr(ticket.queue, "team", None)
    return team is not None and team.tier == Tier.LEVEL_2


# When the page offers a move between levels: the services refuse the others. Who may
# is the services' question too; the page of a ticket her team handed on offers
# nothing (views.ticket_context).
def _escalates(ticket) -> bool:
    return not _at_level_2(ticket) and not is_settled(ticket)


def _sends_back(ticket) -> bool:
    return _at_level_2(ticket) and not is_settled(ticket)


def _answer_form(request, ticket):
    return AnswerForm(request.POST)


def _reason_form(request, ticket):
    return ReasonForm(request.POST)


# The agents' decisions on a ticket's page (each service checks the agent's team).
TICKET_DECISIONS = [
    Decision(
        name="repondre",
        label=_("Envoyer la réponse"),
        run=_answer(resolve=False),
        form=_answer_form,
        success=_("Réponse envoyée à la personne par e-mail."),
    ),
    Decision(
        name="resoudre",
        label=_("Envoyer et marquer résolue"),
        run=_answer(resolve=True),
        form=_answer_form,
        success=_("Demande résolue ; la personne est prévenue par e-mail."),
        applies=lambda ticket: not is_settled(ticket),
    ),
    Decision(
        name="priorite",
        label=_("Changer la priorité"),
        run=lambda by, ticket, priority: ticket_prioritize(
            by=by, ticket=ticket, priority=priority
        ),
        form=lambda request, ticket: PriorityForm(request.POST),
        success=_("Priorité changée ; les délais cibles sont recalculés."),
    ),
    # Handed to another team, the ticket stays in the level-1 agent's sight, read only.
    Decision(
        name="escalader",
        label=_("Escalader au niveau 2"),
        run=lambda by, ticket, reason: ticket_escalate(
            by=by, ticket=ticket, reason=reason
        ),
        form=_reason_form,
        success=_("Demande escaladée au niveau 2."),
        applies=_escalates,
    ),
    Decision(
        name="renvoyer",
        label=_("Renvoyer au niveau 1"),
        run=lambda by, ticket, reason: ticket_deescalate(
            by=by, ticket=ticket, reason=reason
        ),
        form=_reason_form,
        success=_("Demande renvoyée au niveau 1."),
        applies=_sends_back,
    ),
]


registry.register_screen(
    Screen(
        slug="demandes-assistance",
        model=Ticket,
        label=_("Demandes d'assistance"),
        section="ASSISTANCE",
        order=10,
        table_class=TicketTable,
        filterset_class=TicketFilter,
        selector=tickets_for_list,
        perimeter_objects=ticket_perimeter,
        detail_template="assistance/ticket_detail.html",
        detail_context=views.ticket_context,
        export_columns=[
            (_("N°"), "id"),
            (_("Objet"), "title"),
            (_("Équipe"), "queue.title"),
            (_("Déposée le"), "created"),
            (_("Adresse"), "submitter_email"),
            (_("Catégorie"), lambda t: t.siimop.get_category_display()),
            (_("État"), lambda t: t.get_status_display()),
            (_("En retard"), lambda t: _("oui") if t.late else _("non")),
        ],
        decisions=TICKET_DECISIONS,
        extra_urls=[
            path(
                "<int:pk>/pieces/<int:attachment_pk>/",
                views.ticket_attachment,
                name="assistance_attachment",
            ),
        ],
    )
)


def dashboard(request):
    return list_card(
        request,
        "demandes-assistance",
        _("Demandes d'assistance en retard"),
        filters={"late": "true"},
        description=_("au-delà de leur délai de réponse ou de résolution"),
        group=_("Assistance"),
        warn=True,
    )


registry.register_dashboard(
    dashboard, roles=(Role.SUPPORT_L1, Role.SUPPORT_L2, Role.UNESS_ADMIN)
)


# --- campaign periods (defined by UNESS admins) and the statistics page ---------------


class PeriodTable(CockpitTable):
    name = tables.Column(
        verbose_name=_("Nom"),
        linkify=lambda record: reverse(
            "cockpit:periodes_assistance_detail", args=[record.pk]
        ),
    )
    start = tables.DateColumn(format="d/m/Y", verbose_name=_("Début"))
    end = tables.DateColumn(format="d/m/Y", verbose_name=_("Fin"))
    statistics = tables.Column(
        verbose_name=_("Statistiques"), accessor="pk", orderable=False
    )

    class Meta(CockpitTable.Meta):
        model = Period
        fields = ("name", "start", "end", "statistics")

    def render_statistics(self, value):
        return format_html(
            '<a href="{}?period={}">{}</a>',
            reverse("cockpit:assistance_statistics"),
            value,
            _("Voir"),
        )


class PeriodFilter(CockpitFilterSet):
    search_fields = ("name",)

    class Meta(CockpitFilterSet.Meta):
        model = Period
        fields = ["q"]


registry.register_screen(
    Screen(
        slug="periodes-assistance",
        model=Period,
        label=_("Périodes de campagne"),
        section="ASSISTANCE",
        order=30,
        table_class=PeriodTable,
        filterset_class=PeriodFilter,
        selector=lambda user: Period.objects.all(),
        perimeter_objects=lambda period: [],  # national: UNESS admins only edit
        form_class=PeriodForm,
        create_form_class=PeriodForm,
        delete=lambda user, period: period_delete(by=user, period=period),
        export_columns=[(_("Nom"), "name"), (_("Début"), "start"), (_("Fin"), "end")],
    )
)
registry.register_urls(
    [
        path(
            "assistance/statistiques/",
            views.statistics_page,
            name="assistance_statistics",
        )
    ]
)
registry.register_menu(
    MenuEntry(
        section="ASSISTANCE",
        label=_("Statistiques d'assistance"),
        url_name="assistance_statistics",
        permission="assistance.view_statistics",
        order=20,
    )
)
