"""Reads of UNESS Assistance scoped to who asks: a level-1 agent sees the tickets of
his subdivisions' teams only, level 2 and UNESS admins see all, anyone else his own."""

import re
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from helpdesk.models import KBItem, PreSetReply, Ticket

from domains.people.roles import Role
from domains.people.selectors import active_functions

from .models import Team, TicketContext, Tier

NATIONAL_ROLES = (Role.SUPPORT_L2, Role.UNESS_ADMIN)


def visible_tickets(user) -> QuerySet[Ticket]:
    if not user.is_authenticated:
        return Ticket.objects.none()
    functions = active_functions(user, all_functions=True)
    if user.is_superuser or any(f.role in NATIONAL_ROLES for f in functions):
        return Ticket.objects.all()
    subdivisions = [f.subdivision_id for f in functions if f.role == Role.SUPPORT_L1]
    # Uncorrelated id subqueries: the database answers each from an index, where an
    # OR across joins would scan every ticket.
    own = Q(pk__in=TicketContext.objects.filter(person__user=user).values("ticket_id"))
    if subdivisions:
        teams = Team.objects.filter(tier=Tier.LEVEL_1, subdivision_id__in=subdivisions)
        return Ticket.objects.filter(own | Q(queue_id__in=teams.values("queue_id")))
    return Ticket.objects.filter(own)


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
