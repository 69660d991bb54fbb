"""Wagtail admin: mailing lists and their mailings (progress, counts)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Mailing, MailingList


class MailingListViewSet(ModelViewSet):
    model = MailingList
    icon = "group"
    menu_label = _("Listes de diffusion")
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("roles"),
        FieldPanel("region"),
        FieldPanel("subdivision"),
        FieldPanel("specialty"),
        InlinePanel("subscriptions", heading=_("Abonnés"), label=_("abonné")),
    ]


class MailingViewSet(ModelViewSet):
    model = Mailing
    icon = "mail"
    menu_label = _("Envois")
    list_display = [
        "page",
        "status",
        "total",
        "sent",
        "failed",
        "bounced",
        "progress",
        "created_at",
    ]
    list_filter = ["status"]
    inspect_view_enabled = True
    add_to_admin_menu = False
    form_fields = ["status"]

    def get_queryset(self, request):  # read-only in practice: sent by the task
        return Mailing.objects.select_related("page")


class MailingGroup(ModelViewSetGroup):
    menu_label = _("Diffusion")
    menu_icon = "mail"
    items = (MailingListViewSet("listes-diffusion"), MailingViewSet("envois"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return MailingGroup()
