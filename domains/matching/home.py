"""The Docteur Junior matching's tiles on the roles' homes: a resident's round and
result, the candidates a supervisor has to rank, the rounds an ARS runs."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from domains.cockpit.registry import Card, registry
from domains.people.roles import Role

from . import views
from .models import MatchingRound, RoundStatus
from .selectors import candidacies_of, supervised_offers, visible_campaigns

MATCHING = _("Docteurs juniors (appariement)")


def _until(moment) -> str:
    return _("jusqu'au %(day)s") % {
        "day": date_format(timezone.localtime(moment), "d/m/Y")
    }


def resident_cards(request):
    candidacy = (
        candidacies_of(request.user)
        .select_related("result__offer__post__training_site")
        .first()
    )
    if candidacy is None:
        return []
    matching_round = candidacy.round
    url = reverse("cockpit:my_matching")
    if matching_round.status == RoundStatus.PUBLISHED:
        result = getattr(candidacy, "result", None)
        site = result.offer.post.training_site.name if result and result.offer else ""
        return [
            Card(
                title=_("Mon résultat d'appariement"),
                value=site or _("Pas de poste à ce tour"),
                description=str(matching_round.campaign),
                url=url,
                level="success" if site else "warning",
                group=MATCHING,
            )
        ]
    if matching_round.wishes_are_open():
        state = _("Vœux validés") if candidacy.submitted_at else _("Vœux à valider")
        description = _until(matching_round.wishes_close)
    else:
        state = _("Vœux validés") if candidacy.submitted_at else _("Vœux clos")
        description = _("résultats le %(day)s") % {
            "day": date_format(
                timezone.localtime(matching_round.publication_at), "d/m/Y"
            )
        }
    return [
        Card(
            title=_("Mes vœux — tour %(n)d") % {"n": matching_round.number},
            value=state,
            description=description,
            url=url,
            level="success" if candidacy.submitted_at else "warning",
            group=MATCHING,
        )
    ]


def supervisor_cards(request):
    """Posts of his sites whose candidates wait for his ranking, window open."""
    now = timezone.now()
    waiting = supervised_offers(request.user).filter(
        round__status=RoundStatus.PREPARATION,
        round__ranking_open__lte=now,
        round__ranking_close__gt=now,
        ranking_submitted_at__isnull=True,
        applicant_count__gt=0,
    )
    count = waiting.count()
    close = min((o.round.ranking_close for o in waiting), default=None)
    return [
        Card(
            title=_("Postes à classer"),
            value=count,
            description=(
                ngettext(
                    "poste dont le classement est attendu",
                    "postes dont le classement est attendu",
                    count,
                )
                + (f" {_until(close)}" if close else "")
            ),
            url=reverse("cockpit:matching_rankings"),
            level="warning" if count else "success",
            group=MATCHING,
        )
    ]


def round_cards(request):
    """The rounds running in the perimeter, where their calendar stands."""
    rounds = (
        MatchingRound.objects.filter(
            Q(status=RoundStatus.PREPARATION) | Q(status=RoundStatus.COMPUTED),
            campaign__in=visible_campaigns(request.user),
        )
        .select_related("campaign")
        .order_by("ranking_close")[:3]
    )
    detail = f"cockpit:{views.SLUG.replace('-', '_')}_detail"
    return [
        Card(
            title=_("%(campaign)s — tour %(n)d")
            % {"campaign": r.campaign, "n": r.number},
            value=str(r.stage()),
            description=_("publication prévue le %(day)s")
            % {"day": date_format(timezone.localtime(r.publication_at), "d/m/Y")},
            url=reverse(detail, args=[r.campaign_id]),
            group=MATCHING,
        )
        for r in rounds
    ]


registry.register_dashboard(resident_cards, roles=(Role.RESIDENT,))
registry.register_dashboard(
    supervisor_cards, roles=(Role.SITE_SUPERVISOR, Role.PRACTITIONER)
)
registry.register_dashboard(
    round_cards, roles=(Role.ARS, Role.COORDINATOR, Role.FACULTY_REGISTRY, Role.DGOS)
)
