"""UNESS Assistance in the cockpit: the agents' tickets (ASSISTANCE section), scoped
to their teams by `visible_tickets` on the list, the page, the actions and the export
alike."""

import django_filters
import django_tables2 as tables
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from helpdesk.models import Ticket

from domains.cockpit.filters import CockpitFilterSet
from domains.cockpit.registry import Screen, registry
from domains.cockpit.tables import CockpitTable

from . import views
from .models import Category
from .selectors import visible_tickets


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

    class Meta(CockpitTable.Meta):
        model = Ticket
        fields = ("id", "title", "category", "queue", "created", "status")

    def render_category(self, record):
        return record.siimop.get_category_display()


class TicketFilter(CockpitFilterSet):
    search_fields = ("title", "description", "submitter_email")
    category = django_filters.ChoiceFilter(
        field_name="siimop__category", choices=Category.choices, label=_("Catégorie")
    )
    status = django_filters.ChoiceFilter(choices=Ticket.STATUS_CHOICES, label=_("État"))

    class Meta(CockpitFilterSet.Meta):
        model = Ticket
        fields = ["q", "category", "status"]


def tickets_for_list(user):
    return visible_tickets(user).select_related("queue", "siimop").order_by("-created")


def ticket_perimeter(ticket):
    """The team's subdivision (level-1 agents there); level 2 is national."""
    team = getattr(ticket.queue, "team", None)
    return [team.subdivision] if team and team.subdivision_id else []


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
        ],
        extra_urls=[
            path("<int:pk>/repondre/", views.ticket_answer, name="assistance_answer"),
            path(
                "<int:pk>/niveau/<str:decision>/",
                views.ticket_tier,
                name="assistance_tier",
            ),
        ],
    )
)
