"""Statistics of UNESS Assistance over a period and a team, within who asks's scope:
ARS their region's subdivisions, level-1 agents theirs, UNESS and DGOS everything.

A bounded number of queries whatever the volume: one aggregate per breakdown, one
column read for the times (median and 90th percentile computed here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from helpdesk.models import Ticket

from domains.people.roles import Role
from domains.people.selectors import active_functions

from .hours import PARIS
from .models import ArticleRead, Category, Period, Team, TicketContext, Tier

WIDE_ROLES = (Role.SUPPORT_L2, Role.UNESS_ADMIN, Role.DGOS)
STATUS_LABELS = dict(Ticket.STATUS_CHOICES)


def scope(user) -> Q | None:
    """Tickets (as TicketContext rows) the user's statistics count; None: nothing."""
    functions = active_functions(user)
    if user.is_superuser or any(f.role in WIDE_ROLES for f in functions):
        return Q()
    regions = [f.region_id for f in functions if f.role == Role.ARS]
    subdivisions = [f.subdivision_id for f in functions if f.role == Role.SUPPORT_L1]
    if not regions and not subdivisions:
        return None
    return Q(subdivision__region_id__in=regions) | Q(subdivision_id__in=subdivisions)


def visible_teams(user) -> QuerySet[Team]:
    where = scope(user)
    if where is None:
        return Team.objects.none()
    if where == Q():
        return Team.objects.select_related("subdivision")
    teams = TicketContext.objects.filter(where).values("ticket__queue__team")
    return Team.objects.filter(pk__in=teams).select_related("subdivision")


@dataclass
class Row:
    label: str
    count: int
    share: float  # of the largest count, for the bars (0–100)


@dataclass
class Stats:
    total: int = 0
    escalated: int = 0
    by_category: list[Row] = field(default_factory=list)
    by_team: list[Row] = field(default_factory=list)
    by_tier: list[Row] = field(default_factory=list)
    by_status: list[Row] = field(default_factory=list)
    first_response: tuple[float | None, float | None] = (None, None)
    resolution: tuple[float | None, float | None] = (None, None)
    answered: int = 0
    resolved: int = 0
    articles: list[Row] = field(default_factory=list)

    @property
    def escalation_rate(self) -> float | None:
        return round(100 * self.escalated / self.total, 1) if self.total else None


def _rows(pairs: list[tuple[str, int]]) -> list[Row]:
    top = max((c for _, c in pairs), default=0) or 1
    return [Row(label, c, round(100 * c / top, 1)) for label, c in pairs]


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0–100) of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceiling
    return sorted_values[int(rank) - 1]


def _bounds(period: Period) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(period.start, time.min), PARIS)
    end = timezone.make_aware(datetime.combine(period.end, time.max), PARIS)
    return start, end


def statistics(
    user, *, period: Period | None = None, team: Team | None = None
) -> Stats:
    where = scope(user)
    if where is None:
        return Stats()
    contexts = TicketContext.objects.filter(where)
    reads = ArticleRead.objects.filter(where)  # same subdivision fields
    if period is not None:
        start, end = _bounds(period)
        contexts = contexts.filter(ticket__created__range=(start, end))
        reads = reads.filter(at__range=(start, end))
    if team is not None:
        contexts = contexts.filter(ticket__queue_id=team.queue_id)

    stats = Stats()
    totals = contexts.aggregate(
        total=Count("pk"), escalated=Count("pk", filter=Q(escalated=True))
    )
    stats.total, stats.escalated = totals["total"], totals["escalated"]
    categories = dict(Category.choices)
    stats.by_category = _rows(
        [
            (str(categories[r["category"]]), r["n"])
            for r in contexts.values("category").annotate(n=Count("pk")).order_by("-n")
        ]
    )
    stats.by_team = _rows(
        [
            (r["ticket__queue__title"], r["n"])
            for r in contexts.values("ticket__queue__title")
            .annotate(n=Count("pk"))
            .order_by("-n", "ticket__queue__title")
        ]
    )
    tiers = dict(Tier.choices)
    stats.by_tier = _rows(
        [
            (str(tiers[r["tier"]]), r["n"])
            for r in contexts.values("tier").annotate(n=Count("pk")).order_by("tier")
        ]
    )
    stats.by_status = _rows(
        [
            (str(STATUS_LABELS[r["ticket__status"]]), r["n"])
            for r in contexts.values("ticket__status")
            .annotate(n=Count("pk"))
            .order_by("ticket__status")
        ]
    )
    first, resolution = [], []
    for f, r in contexts.values_list("first_response_hours", "resolution_hours"):
        if f is not None:
            first.append(f)
        if r is not None:
            resolution.append(r)
    first.sort()
    resolution.sort()
    stats.answered, stats.resolved = len(first), len(resolution)
    stats.first_response = (percentile(first, 50), percentile(first, 90))
    stats.resolution = (percentile(resolution, 50), percentile(resolution, 90))
    stats.articles = _rows(
        [
            (r["article__title"], r["n"])
            for r in reads.values("article__title")
            .annotate(n=Count("pk"))
            .order_by("-n", "article__title")[:10]
        ]
    )
    return stats
