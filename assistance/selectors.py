"""Reads of UNESS Assistance scoped to who asks: a level-1 agent sees the tickets of
his subdivisions' teams (and, read only, those they handed on), level 2 and UNESS
admins see all, anyone else his own."""

import re
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from helpdesk.models import KBItem, PreSetReply, Ticket, TicketChange

from domains.people.roles import Role
from domains.people.selectors import active_functions

from .models import Team, TicketContext, Tier

NATIONAL_ROLES = (Role.SUPPORT_L2, Role.UNESS_ADMIN)


# The label of a move in a ticket's history (services._move_to): the old value is the
# title of the queue the ticket left.
MOVE_FIELD = "Équipe"


def _national(user, functions) -> bool:
    return user.is_superuser or any(f.role in NATIONAL_ROLES for f in functions)


def _level_1_teams(functions) -> QuerySet[Team] | None:
    subdivisions = [f.subdivision_id for f in functions if f.role == Role.SUPPORT_L1]
    if not subdivisions:
        return None
    return Team.objects.filter(tier=Tier.LEVEL_1, subdivision_id__in=subdivisions)


def worked_tickets(user) -> QuerySet[Ticket]:
    """The tickets she works on: those in her teams' queues now (level 1: her
    subdivisions' teams; level 2 and UNESS admins: all). What she may act on."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    functions = active_functions(user, all_functions=True)
    if _national(user, functions):
        return Ticket.objects.filter(queue__team__isnull=False)
    teams = _level_1_teams(functions)
    if teams is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(queue_id__in=teams.values("queue_id"))


def moved_from(teams: QuerySet[Team]) -> QuerySet[TicketChange]:
    """The moves of tickets out of these teams' queues (escalations, hand-overs)."""
    return TicketChange.objects.filter(
        field=MOVE_FIELD, old_value__in=teams.values("queue__title")
    )


def handling_teams(ticket: Ticket) -> QuerySet[Team]:
    """The level-1 teams the ticket is in or went through."""
    left = TicketChange.objects.filter(field=MOVE_FIELD, followup__ticket=ticket)
    return Team.objects.filter(tier=Tier.LEVEL_1).filter(
        Q(queue_id=ticket.queue_id) | Q(queue__title__in=left.values("old_value"))
    )


def visible_tickets(user) -> QuerySet[Ticket]:
    """What she reads: the tickets she works on, those her teams handed on (to level
    2 or another team: read only, to follow them), and her own requests."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    functions = active_functions(user, all_functions=True)
    if _national(user, functions):
        return Ticket.objects.all()
    # Uncorrelated id subqueries: the database answers each from an index, where an
    # OR across joins would scan every ticket.
    own = Q(pk__in=TicketContext.objects.filter(person__user=user).values("ticket_id"))
    teams = _level_1_teams(functions)
    if teams is None:
        return Ticket.objects.filter(own)
    return Ticket.objects.filter(
        own
        | Q(queue_id__in=teams.values("queue_id"))
        | Q(pk__in=moved_from(teams).values("followup__ticket_id"))
    )


def canned_answers(ticket: Ticket) -> QuerySet[PreSetReply]:
    """National answers (written by UNESS, for every queue) and those of the
    ticket's team, national ones first."""
    return (
        PreSetReply.objects.filter(Q(queues__isnull=True) | Q(queues=ticket.queue))
        .distinct()
        .order_by("name")
    )


# Words too common to say what a request is about.
_STOPWORDS = frozenset(
    [
        "avec",
        "dans",
        "depuis",
        "elle",
        "être",
        "fait",
        "faire",
        "mais",
        "même",
        "nous",
        "pour",
        "plus",
        "quand",
        "sans",
        "sont",
        "sur",
        "tout",
        "vous",
        "votre",
        "mon",
        "mes",
        "une",
        "des",
        "les",
        "est",
        "pas",
        "que",
        "qui",
        "quoi",
        "comment",
        "bonjour",
        "merci",
    ]
)


def suggested_articles(text: str, limit: int = 5) -> list[KBItem]:
    """Published knowledge-base articles sharing the most words with `text`."""
    words = {
        w
        for w in re.findall(r"\w+", text.lower())
        if len(w) >= 4 and w not in _STOPWORDS
    }
    if not words:
        return []
    words = sorted(words)[:12]
    candidates = KBItem.objects.filter(enabled=True, category__public=True).filter(
        reduce(or_, (Q(title__icontains=w) | Q(question__icontains=w) for w in words))
    )[:50]

    def score(item: KBItem) -> tuple[int, str]:
        haystack = f"{item.title} {item.title} {item.question}".lower()
        return (-sum(haystack.count(w) for w in words), item.title)

    return sorted(candidates, key=score)[:limit]


def published_articles() -> QuerySet[KBItem]:
    return KBItem.objects.filter(enabled=True, category__public=True)
