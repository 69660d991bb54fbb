"""The residents' tiles on the roles' homes: a resident's own path; the residents,
juries, requests and stages each role follows, counted as the lists they open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from domains.cockpit.home import list_card
from domains.cockpit.registry import Card, registry
from domains.people.roles import Role
from domains.referential.home import coming_semesters
from domains.referential.models import Phase

from .models import OPEN_SITUATION_STATUSES, Resident, SituationStatus, Validation
from .selectors import resident_path

PATH = _("Mon parcours")
RESIDENTS = _("Internes")


def _stage_card(title: str, placement, semester, url: str) -> Card:
    if placement is None:
        return Card(
            title=title,
            value=_("Pas encore d'affectation"),
            description=str(semester) if semester else "",
            url=url,
            group=PATH,
        )
    return Card(
        title=title,
        value=placement.training_site.name,
        description=str(semester),
        url=url,
        group=PATH,
    )


def resident_cards(request):
    """Her current stage and the next, her validations, her pending requests."""
    resident = (
        Resident.objects.filter(person__user=request.user)
        .select_related("person")
        .first()
    )
    if resident is None:
        return []
    path = resident_path(resident)
    url = reverse("cockpit:my_path")
    by_semester = {p.semester_id: p for p in path.placements}
    cards = []
    for title, semester in (
        (_("Stage en cours"), path.current_semester),
        (_("Semestre prochain"), path.next_semester),
    ):
        if semester is not None:
            cards.append(
                _stage_card(title, by_semester.get(semester.pk), semester, url)
            )
    validated = sum(1 for p in path.placements if p.validation == Validation.VALIDATED)
    cards.append(
        Card(
            title=_("Stages validés"),
            value=validated,
            description=(
                _("dont %(n)d dans la %(phase)s")
                % {"n": path.seniority, "phase": path.phase.phase.label.lower()}
                if path.phase
                else ""
            ),
            url=f"{url}#placements",
            group=PATH,
        )
    )
    pending = sum(1 for s in path.situations if s.status in OPEN_SITUATION_STATUSES)
    cards.append(
        Card(
            title=_("Mes demandes en cours"),
            value=pending,
            description=_("disponibilité, remords, interCHU… en attente de décision"),
            url=f"{url}#situations",
            group=PATH,
        )
    )
    cards.append(
        Card(
            title=_("Mes documents"),
            value=_("Attestations et certificats"),
            description=_("à télécharger, avec leur code de vérification"),
            url=url,
            group=PATH,
        )
    )
    return cards


def registry_cards(request):
    """The faculty registry: juries due, requests to decide, stages to validate."""
    return [
        *list_card(
            request,
            "internes",
            _("Jurys à préparer"),
            filters={"due": "true"},
            description=_("internes en fin de phase dans les 3 mois"),
            group=RESIDENTS,
            warn=True,
        ),
        *list_card(
            request,
            "situations",
            _("Situations à décider"),
            filters={"pending": "true"},
            description=_("demandes des internes en attente de décision"),
            group=RESIDENTS,
            warn=True,
        ),
        *list_card(
            request,
            "stages",
            _("Stages à valider"),
            filters={"to_validate": "true"},
            description=_("finis ou finissant dans le mois, non encore validés"),
            group=RESIDENTS,
            warn=True,
        ),
    ]


def coordinator_cards(request):
    """The coordinator: opinions to give, his DES's residents per phase, juries."""
    cards = list_card(
        request,
        "situations",
        _("Avis à donner sur les demandes"),
        filters={"status": SituationStatus.REQUESTED},
        description=_("demandes des internes de votre DES, sans avis"),
        group=RESIDENTS,
        warn=True,
    )
    for phase in Phase.objects.order_by("order"):
        cards += list_card(
            request,
            "internes",
            _("Internes en %(phase)s") % {"phase": phase.label.lower()},
            filters={"phase": phase.pk},
            group=RESIDENTS,
        )
    return cards + list_card(
        request,
        "internes",
        _("Jurys à venir"),
        filters={"due": "true"},
        description=_("internes en fin de phase dans les 3 mois"),
        group=RESIDENTS,
    )


def site_cards(request):
    """Who is placed on the person's sites (or establishment) now and next."""
    cards = []
    for semester in coming_semesters():
        cards += list_card(
            request,
            "stages",
            _("Internes en stage — %(semester)s") % {"semester": semester},
            filters={"semester": semester.pk},
            group=RESIDENTS,
        )
    return cards


def national_cards(request):
    return list_card(
        request,
        "internes",
        _("Internes suivis"),
        description=(
            _("toutes subdivisions confondues")
            if request.actor.is_national
            else _("dans votre périmètre")
        ),
        group=RESIDENTS,
    )


registry.register_dashboard(resident_cards, roles=(Role.RESIDENT,))
registry.register_dashboard(registry_cards, roles=(Role.FACULTY_REGISTRY,))
registry.register_dashboard(coordinator_cards, roles=(Role.COORDINATOR,))
registry.register_dashboard(
    site_cards,
    roles=(
        Role.SITE_SUPERVISOR,
        Role.PRACTITIONER,
        Role.SITE_ASSISTANT,
        Role.MEDICAL_AFFAIRS,
        Role.ESTABLISHMENT_DIRECTOR,
    ),
)
registry.register_dashboard(national_cards, roles=(Role.DGOS, Role.ARS))


def hospital_cards(request):
    return [
        Card(
            title=_("Tableau de bord CH/CHU"),
            value=_("Agréments, équipes, internes, postes"),
            description=_("l'établissement ce semestre et le suivant"),
            url=reverse("cockpit:hospital_dashboard"),
            level="",
            group=_("Mon établissement"),
        )
    ]


registry.register_dashboard(
    hospital_cards, roles=(Role.MEDICAL_AFFAIRS, Role.ESTABLISHMENT_DIRECTOR)
)
