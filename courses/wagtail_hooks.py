"""Wagtail admin: the dated sessions of session and café courses (Formations)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import TrainingSession


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = _("Sessions de formation")
    list_display = ["course", "starts_at", "place", "capacity", "trainer"]
    list_filter = ["course"]
    search_fields = ["place"]
    panels = [
        FieldPanel("course"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("place"),
        FieldPanel("video_link"),
        FieldPanel("capacity"),
        FieldPanel("trainer"),
    ]

    def get_queryset(self, request):
        return TrainingSession.objects.select_related("course", "trainer")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TrainingSessionViewSet("sessions-formation")
