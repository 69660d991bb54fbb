"""The semester cycle's tiles on the homes: the registry's lines to validate, the
resident's situation next semester."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from domains.cockpit.home import list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from . import views
from .models import (
    ActivityKind,
    ActivityStatus,
    CallListStatus,
    OpeningStatus,
    SessionStatus,
)
from .selectors import (
    coming_semester,
    national_coverage,
    opening_coverage,
    visible_activity_lines,
)
from .session_selectors import my_session

GROUP = _("Semestre prochain")


def rule_card(request, semester) -> list[Card]:
    """The 107 % rule over the person's perimeter: DES and phases short of posts."""
    if not registry.menu_entry("opening_coverage").opens(request.actor):
        return []
    lines = opening_coverage(request.user, semester)
    if not lines:
        return []
    unmet = sum(1 for line in lines if not line.met)
    return [
        Card(
            title=_("Règle des 107 %% — %(semester)s") % {"semester": semester},
            value=unmet,
            description=ngettext(
                "couple DES et phase sans assez de postes (sur %(n)d)",
                "couples DES et phase sans assez de postes (sur %(n)d)",
                unmet,
            )
            % {"n": len(lines)},
            url=reverse("cockpit:opening_coverage"),
            level="warning" if unmet else "success",
            group=GROUP,
        )
    ]


def call_lists_card(request, semester, *, warn: bool) -> list[Card]:
    return list_card(
        request,
        views.CALL_LISTS_SLUG,
        _("Listes d'appel en préparation — %(semester)s") % {"semester": semester},
        filters={"semester": semester.pk, "status": CallListStatus.DRAFT},
        description=_("à publier avant la période de contestation"),
        group=GROUP,
        warn=warn,
    )


def registry_cards(request):
    semester = coming_semester()
    if semester is None:
        return []
    return [
        *list_card(
            request,
            views.SLUG,
            _("Activité semestrielle à valider — %(semester)s")
            % {"semester": semester},
            filters={"semester": semester.pk, "pending": "true"},
            description=_("situations des internes au semestre prochain"),
            group=GROUP,
            warn=True,
        ),
        *rule_card(request, semester),
        *call_lists_card(request, semester, warn=False),
    ]


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
        ),
        *wishes_card(request, semester),
    ]


def wishes_card(request, semester) -> list[Card]:
    """Her amphi's wishes while she may rank them: how many, until when."""
    found = my_session(request.user, semester)
    if found is None or not found[0].wishes_open:
        return []
    session, resident_id = found
    ranked = len(
        session.wish_lists.filter(resident_id=resident_id)
        .values_list("posts", flat=True)
        .first()
        or []
    )
    return [
        Card(
            title=_("Mes vœux pour l'amphi"),
            value=ranked,
            description=ngettext(
                "poste classé, modifiable jusqu'au %(day)s",
                "postes classés, modifiables jusqu'au %(day)s",
                ranked,
            )
            % {"day": date_format(timezone.localtime(session.wishes_until), "j F Y")},
            url=reverse("cockpit:my_wishes"),
            level="success" if ranked else "warning",
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
        *rule_card(request, semester),
        *call_lists_card(request, semester, warn=True),
        *list_card(
            request,
            "amphis",
            _("Amphis : vœux en cours de saisie"),
            filters={"semester": semester.pk, "status": SessionStatus.WISHES},
            description=_("la simulation suit chaque vœu saisi"),
            group=GROUP,
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
    return [
        *list_card(
            request,
            views.OPENINGS_SLUG,
            _("Ouvertures des postes en préparation — %(semester)s")
            % {"semester": semester},
            filters={"semester": semester.pk, "status": OpeningStatus.DRAFT},
            description=_("donnez l'avis de votre DES avant la signature de l'arrêté"),
            group=GROUP,
            warn=True,
        ),
        *list_card(
            request,
            views.SLUG,
            _("Internes de mon DES qui choisissent — %(semester)s")
            % {"semester": semester},
            filters={"semester": semester.pk, "kind": ActivityKind.CHOOSES},
            description=_("en amphi de choix, au semestre prochain"),
            group=GROUP,
        ),
        *list_card(
            request,
            views.SLUG,
            _("Déclarations en attente — %(semester)s") % {"semester": semester},
            filters={"semester": semester.pk, "pending": "true"},
            description=_("situations de mon DES que la scolarité n'a pas validées"),
            group=GROUP,
        ),
        *rule_card(request, semester),
    ]


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
