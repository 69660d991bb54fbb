"""The URL names django-helpdesk reverses in its models and mail processing, pointed at
our pages. Its own views are not mounted: their per-queue checks are too weak for the
level-1 isolation, and our screens read through `visible_tickets`."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from helpdesk.models import KBCategory

app_name = "helpdesk"


def ticket_for_staff(request, ticket_id: int):
    return redirect("cockpit:demandes_assistance_detail", pk=ticket_id)


def ticket_for_submitter(request):
    """?ticket=<queue slug>-<id>: the submitter's own page (sign-in required there)."""
    number = request.GET.get("ticket", "").rpartition("-")[2]
    if not number.isdigit():
        return redirect("assistance:mine")
    return redirect("assistance:request", pk=int(number))


def kb_category(request, slug: str):
    get_object_or_404(KBCategory, slug=slug)
    return redirect("assistance:new")


def ticket_list(request):
    return redirect("cockpit:demandes_assistance_list")


urlpatterns = [
    path("demandes/<int:ticket_id>/", ticket_for_staff, name="view"),
    path("suivi/", ticket_for_submitter, name="public_view"),
    path("aide/<slug:slug>/", kb_category, name="kb_category"),
    path("demandes/", ticket_list, name="list"),
]
