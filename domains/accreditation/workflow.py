"""The request's state machine, in one place: for each action, the states it leaves
from, the state it leads to, and who may take it. Services consult it (through
permissions.py); pages show only the actions it allows, each declared for them once
in actions.py (form, service, message, confirmation)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import RequestStatus as S

# Actors, as the services recognise them on a request (see permissions.actor_roles).
RTS = "rts"  # the site supervisor of the request's training site
ARS = "ars"  # an ARS agent of the campaign's region (the DG ARS signs)
REGISTRY = "registry"  # the faculty registry of the site's subdivision
COORDINATOR = "coordinator"  # the coordinator of the specialty in the subdivision
REPRESENTATIVE = "representative"  # the residents' representative of the subdivision


@dataclass(frozen=True)
class Action:
    label: str
    moves: dict[str, str]  # source state → target state
    actors: frozenset[str]


def _moves(sources, target) -> dict[str, str]:
    return {source: target for source in sources}


ACTIONS: dict[str, Action] = {
    "submit": Action(
        _("Déposer le dossier"), _moves([S.DRAFT, S.SUBMITTED], S.SUBMITTED), {RTS}
    ),
    "withdraw": Action(
        _("Retirer la demande"), _moves([S.DRAFT, S.SUBMITTED], S.WITHDRAWN), {RTS}
    ),
    "reopen": Action(
        _("Rouvrir le dépôt"),
        {S.DRAFT: S.DRAFT, S.SUBMITTED: S.SUBMITTED, S.ANALYSIS: S.SUBMITTED},
        {ARS},
    ),
    "close_filing": Action(
        _("Clore le dépôt et passer en analyse"),
        _moves([S.SUBMITTED], S.ANALYSIS),
        {ARS},
    ),
    "schedule": Action(
        _("Inscrire à la commission"), _moves([S.ANALYSIS], S.COMMISSION), {ARS}
    ),
    "propose": Action(
        _("Enregistrer la proposition"),
        _moves([S.COMMISSION, S.PROPOSED], S.PROPOSED),
        {ARS},
    ),
    "decide": Action(_("Décision du DG ARS"), _moves([S.PROPOSED], S.DECIDED), {ARS}),
    # Actions that leave the state as it is, audited all the same.
    "remind": Action(
        _("Relancer le responsable"), _moves([S.DRAFT], S.DRAFT), {ARS, REGISTRY}
    ),
    "opinion": Action(
        _("Donner un avis"),
        {s: s for s in (S.SUBMITTED, S.ANALYSIS, S.COMMISSION)},
        {COORDINATOR, REPRESENTATIVE},
    ),
    "visit_report": Action(
        _("Déposer le rapport de visite"),
        {s: s for s in (S.SUBMITTED, S.ANALYSIS, S.COMMISSION)},
        {ARS, COORDINATOR},
    ),
    "attach": Action(
        _("Joindre une pièce"), {s: s for s in (S.DRAFT, S.SUBMITTED)}, {RTS}
    ),
}


def allowed(action: str, status: str, roles: set[str]) -> bool:
    rule = ACTIONS[action]
    return status in rule.moves and bool(rule.actors & roles)


def target(action: str, status: str) -> str:
    return ACTIONS[action].moves[status]


def available(status: str, roles: set[str]) -> list[str]:
    """The actions these actors may take on a request in this state."""
    return [name for name in ACTIONS if allowed(name, status, roles)]
