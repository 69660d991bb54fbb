"""The referential's tiles on the roles' homes: accreditations, posts, sites.

Each tile counts the list it opens, under the same filters (cockpit `list_card`)."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from domains.cockpit.home import filtered_list, list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from .models import DataQuality, Semester

SITES = _("Agréments et terrains")
POSTS = _("Postes")


def coming_semesters(count: int = 2) -> list[Semester]:
    """The current semester and the next (the next two between semesters)."""
    return list(
        Semester.objects.filter(end_date__gte=timezone.localdate()).order_by(
            "start_date"
        )[:count]
    )


def quality_cards(request):
    return list_card(
        request,
        "etablissements",
        _("Établissements à corriger"),
        filters={"data_quality": DataQuality.TO_FIX},
        description=_("sans FINESS ni SIRET valide"),
        group=SITES,
        warn=True,
    )


def accreditation_cards(request):
    return [
        *list_card(
            request,
            "agrements",
            _("Agréments en vigueur"),
            filters={"in_force": "true"},
            description=_("valides aujourd'hui, par DES et phases"),
            group=SITES,
        ),
        *list_card(
            request,
            "agrements",
            _("Agréments à renouveler"),
            filters={"to_renew": "true"},
            description=_("arrivent à échéance dans les 12 mois"),
            group=SITES,
            warn=True,
        ),
    ]


def site_cards(request):
    return list_card(
        request,
        "terrains-de-stage",
        _("Terrains de stage actifs"),
        filters={"is_active": "true"},
        group=SITES,
    )


def post_cards(request):
    """Posts opened this semester and the next (and their seats), each linking to
    its list."""
    cards = []
    for semester in coming_semesters():
        found = filtered_list(request, "postes", {"semester": semester.pk})
        if found is None:
            return []
        posts, url = found
        count = posts.count()
        seats = posts.aggregate(n=Sum("seats"))["n"] or 0
        cards.append(
            Card(
                title=_("Postes ouverts — %(semester)s") % {"semester": semester},
                value=count,
                description=ngettext("%(n)d place", "%(n)d places", seats)
                % {"n": seats},
                url=url,
                group=POSTS,
            )
        )
    return cards


registry.register_dashboard(quality_cards, roles=(Role.ARS, Role.UNESS_ADMIN))
registry.register_dashboard(
    accreditation_cards,
    roles=(
        Role.ARS,
        Role.FACULTY_REGISTRY,
        Role.COORDINATOR,
        Role.SITE_SUPERVISOR,
        Role.PRACTITIONER,
        Role.SITE_ASSISTANT,
        Role.MEDICAL_AFFAIRS,
        Role.ESTABLISHMENT_DIRECTOR,
        Role.DGOS,
    ),
)
registry.register_dashboard(
    site_cards, roles=(Role.ARS, Role.FACULTY_REGISTRY, Role.DGOS, Role.UNESS_ADMIN)
)
registry.register_dashboard(
    post_cards,
    roles=(
        Role.ARS,
        Role.FACULTY_REGISTRY,
        Role.COORDINATOR,
        Role.MEDICAL_AFFAIRS,
        Role.ESTABLISHMENT_DIRECTOR,
        Role.DGOS,
    ),
)
