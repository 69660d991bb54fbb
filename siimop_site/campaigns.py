"""The one small generic link between an announcement page and a campaign record:
each kind of campaign says how to list its records, its calendar and its live state.
Matching rounds, accreditation campaigns and post openings; choice sessions add an
entry here when they are built."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from domains.accreditation.models import (
    AccreditationCampaign,
    CampaignStatus,
    RequestStatus,
)
from domains.choices.models import OpeningStatus, PostOpening
from domains.matching.models import MatchingRound, RoundStatus


@dataclass(frozen=True)
class Phase:
    label: str
    start: datetime | None
    end: datetime | None


class StateCode(StrEnum):
    """A campaign's live state, as the announcement's badge colours it."""

    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


@dataclass(frozen=True)
class State:
    code: StateCode
    label: str


@dataclass(frozen=True)
class CampaignKind:
    model: type[Model]
    label: str
    records: Callable[[], Iterable[Model]]
    phases: Callable[[Model], list[Phase]]
    state: Callable[[Model], State]


def _round_phases(matching_round: MatchingRound) -> list[Phase]:
    return [
        Phase(
            str(_("Vœux des internes")),
            matching_round.wishes_open,
            matching_round.wishes_close,
        ),
        Phase(
            str(_("Classements des terrains")),
            matching_round.ranking_open,
            matching_round.ranking_close,
        ),
        Phase(str(_("Publication des résultats")), matching_round.publication_at, None),
    ]


def _round_state(matching_round: MatchingRound) -> State:
    if matching_round.status == RoundStatus.PUBLISHED:
        return State(StateCode.PUBLISHED, str(_("Résultats publiés")))
    if matching_round.wishes_are_open() or matching_round.ranking_is_open():
        return State(StateCode.OPEN, str(matching_round.stage()))
    return State(StateCode.CLOSED, str(matching_round.stage()))


def _day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _day_end(day) -> datetime:
    """A deadline given as a day runs to its evening (opinions due on the day the
    filing closes end after it, not at the midnight before)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _accreditation_phases(campaign: AccreditationCampaign) -> list[Phase]:
    return [
        Phase(
            str(_("Dépôt des dossiers")),
            _day(campaign.filing_opens),
            campaign.filing_closes,
        ),
        Phase(
            str(_("Avis et visites")),
            campaign.filing_closes,
            _day_end(campaign.opinions_due),
        ),
        Phase(str(_("Commission")), _day(campaign.commission_date), None),
        Phase(str(_("Décisions du DG ARS")), None, _day_end(campaign.decisions_by)),
    ]


def _accreditation_state(campaign: AccreditationCampaign) -> State:
    now = timezone.now()
    if campaign.status == CampaignStatus.DRAFT:
        return State(StateCode.CLOSED, str(_("En préparation")))
    if campaign.requests.filter(status=RequestStatus.DECIDED).exists():
        return State(StateCode.PUBLISHED, str(_("Décisions publiées")))
    if _day(campaign.filing_opens) <= now <= campaign.filing_closes:
        return State(StateCode.OPEN, str(_("Dépôts ouverts")))
    if now < _day(campaign.filing_opens):
        return State(StateCode.CLOSED, str(_("Dépôts bientôt ouverts")))
    return State(StateCode.CLOSED, str(_("Dépôts clos : instruction en cours")))


def _opening_phases(opening: PostOpening) -> list[Phase]:
    return [
        Phase(str(_("Signature de l'arrêté")), opening.signed_at, None),
        Phase(str(_("Publication")), opening.published_at, None),
    ]


def _opening_state(opening: PostOpening) -> State:
    if opening.status == OpeningStatus.PUBLISHED:
        return State(StateCode.PUBLISHED, str(_("Arrêté publié")))
    return State(StateCode.CLOSED, str(opening.get_status_display()))


KINDS: list[CampaignKind] = [
    CampaignKind(
        model=MatchingRound,
        label=str(_("Appariement Docteurs Juniors")),
        records=lambda: MatchingRound.objects.select_related("campaign").order_by(
            "-wishes_open"
        ),
        phases=_round_phases,
        state=_round_state,
    ),
    CampaignKind(
        model=AccreditationCampaign,
        label=str(_("Campagnes d'agréments")),
        records=lambda: AccreditationCampaign.objects.select_related("region"),
        phases=_accreditation_phases,
        state=_accreditation_state,
    ),
    CampaignKind(
        model=PostOpening,
        label=str(_("Ouvertures des postes")),
        records=lambda: PostOpening.objects.select_related("semester", "subdivision"),
        phases=_opening_phases,
        state=_opening_state,
    ),
]


def kind_of(model: type[Model]) -> CampaignKind | None:
    return next((k for k in KINDS if k.model is model), None)


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices "<content type id>:<record id>" for the editor's select."""
    groups = []
    for kind in KINDS:
        content_type = ContentType.objects.get_for_model(kind.model)
        groups.append(
            (
                kind.label,
                [(f"{content_type.pk}:{r.pk}", str(r)) for r in kind.records()],
            )
        )
    return groups
