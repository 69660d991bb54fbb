"""The semester cycle's tiles on the homes: the registry's lines to validate, the
resident's situation next semester."""

from django.urls import reverse
from django.utils.translation import gettext as _

from domains.cockpit.home import list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from . import views
from .models import ActivityStatus, OpeningStatus
from .selectors import coming_semester, national_coverage, visible_activity_lines

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


def ars_cards(request):
    semester = coming_semester()
    if semester is None:
        return []
    return [
        *list_card(
            request,
            views.OPENINGS_SLUG,
            _("Ouvertures des postes à arrêter — %(semester)s")
            % {"semester": semester},
            filters={"semester": semester.pk, "status": OpeningStatus.DRAFT},
            description=_("en préparation : avis, règle des 107 %, signature"),
            group=GROUP,
            warn=True,
        ),
        *list_card(
            request,
            views.CALL_LISTS_SLUG,
            _("Listes d'appel contestées"),
            filters={"semester": semester.pk, "contested": "true"},
            description=_("contestations d'internes en attente de votre réponse"),
            group=GROUP,
            warn=True,
        ),
    ]


def coordinator_cards(request):
    semester = coming_semester()
    if semester is None:
        return []
    return list_card(
        request,
        views.OPENINGS_SLUG,
        _("Ouvertures des postes en préparation — %(semester)s")
        % {"semester": semester},
        filters={"semester": semester.pk, "status": OpeningStatus.DRAFT},
        description=_("donnez l'avis de votre DES avant la signature de l'arrêté"),
        group=GROUP,
        warn=True,
    )


def national_cards(request):
    semester = coming_semester()
    if semester is None or not request.actor.has_perm("choices.view_postopening"):
        return []
    unmet = sum(1 for line in national_coverage(semester) if not line.met)
    return [
        Card(
            title=_("Règle des 107 %% non respectée — %(semester)s")
            % {"semester": semester},
            value=unmet,
            description=_("couples région et DES sous la règle, à ce jour"),
            url=reverse("cockpit:opening_national"),
            level="warning" if unmet else "success",
            group=GROUP,
        )
    ]


registry.register_dashboard(registry_cards, roles=(Role.FACULTY_REGISTRY,))
registry.register_dashboard(ars_cards, roles=(Role.ARS,))
registry.register_dashboard(coordinator_cards, roles=(Role.COORDINATOR,))
registry.register_dashboard(national_cards, roles=(Role.DGOS, Role.UNESS_ADMIN))
registry.register_dashboard(resident_cards, roles=(Role.RESIDENT,))
