"""The semester cycle's tiles on the homes: the registry's lines to validate, the
resident's situation next semester."""

from django.urls import reverse
from django.utils.translation import gettext as _

from domains.cockpit.home import list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from . import views
from .models import ActivityStatus
from .selectors import coming_semester, visible_activity_lines

GROUP = _("Semestre prochain")


def registry_cards(request):
    semester = coming_semester()
    if semester is None:
        return []
    return list_card(
        request,
        views.SLUG,
        _("Activité semestrielle à valider — %(semester)s") % {"semester": semester},
        filters={"semester": semester.pk, "pending": "true"},
        description=_("situations des internes au semestre prochain"),
        group=GROUP,
        warn=True,
    )


def resident_cards(request):
    semester = coming_semester()
    line = (
        visible_activity_lines(request.user)
        .filter(resident__person__user=request.user, semester=semester)
        .first()
        if semester
        else None
    )
    if line is None:
        return []
    return [
        Card(
            title=_("Ma situation — %(semester)s") % {"semester": semester},
            value=line.get_kind_display(),
            description=line.get_status_display(),
            url=reverse("cockpit:my_activity"),
            level="success" if line.status == ActivityStatus.VALIDATED else "warning",
            group=GROUP,
        )
    ]


registry.register_dashboard(registry_cards, roles=(Role.FACULTY_REGISTRY,))
registry.register_dashboard(resident_cards, roles=(Role.RESIDENT,))
