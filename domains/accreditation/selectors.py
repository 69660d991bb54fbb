"""Reads of the accreditation campaigns, scoped to who asks: campaigns by region,
requests by their training site (a coordinator: his specialty in his subdivision;
an RTS: his sites; a DAM: his establishment); dashboards in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from domains.people.models import EmailAddress, Function
from domains.people.roles import Role
from domains.people.selectors import active_functions, active_on
from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    Specialty,
    SpecialtyKind,
)
from domains.referential.perimeters import campaign_rules
from domains.referential.selectors import perimeter_q, through_site_rules

from .models import (
    AccreditationCampaign,
    AccreditationRequest,
    Opinion,
    OpinionKind,
    Outcome,
    RequestStatus,
    Transition,
)


def visible_campaigns(user) -> QuerySet[AccreditationCampaign]:
    """ARS: its region; faculty, coordinators (all the region's specialties: a
    campaign asks opinions in each), residents' representatives: the region of their
    subdivision. RTS and DAM read their requests, not campaigns."""
    return (
        AccreditationCampaign.objects.filter(perimeter_q(user, campaign_rules()))
        .select_related("region")
        .annotate(request_count=Count("requests"))
    )


def visible_requests(user) -> QuerySet[AccreditationRequest]:
    """Through their site, as accreditations are (a coordinator: his specialty)."""
    return AccreditationRequest.objects.filter(
        perimeter_q(user, through_site_rules())
    ).select_related(
        "campaign__region",
        "training_site__subdivision",
        "training_site__establishment",
        "specialty",
        "supervisor",
    )


def filing_deadline_q(now: dt.datetime) -> Q:
    """Requests whose filing is over (the campaign's deadline, or the reopening's)."""
    return Q(campaign__filing_closes__lt=now) & (
        Q(reopened_until__isnull=True) | Q(reopened_until__lt=now)
    )


def late_requests(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Drafts whose deadline is in less than 7 days or past: who is late."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=7)
    return queryset.filter(status=RequestStatus.DRAFT).filter(
        Q(campaign__filing_closes__lt=soon)
        & (Q(reopened_until__isnull=True) | Q(reopened_until__lt=soon))
    )


# --- recipients of the campaign mailing -------------------------------------------------


def opinion_kind_of(role: str | None) -> str | None:
    """Which written opinion a function gives on a request (None: it gives none)."""
    return {
        Role.COORDINATOR: OpinionKind.COORDINATOR,
        Role.RESIDENT_REPRESENTATIVE: OpinionKind.REPRESENTATIVE,
    }.get(role)


def opinions_due(queryset: QuerySet, kind: str) -> QuerySet:
    """Requests in analysis that still wait for this kind of opinion."""
    return queryset.filter(status=RequestStatus.ANALYSIS).exclude(
        Exists(Opinion.objects.filter(request_id=OuterRef("pk"), kind=kind))
    )


def campaign_recipients(campaign: AccreditationCampaign) -> dict[str, tuple[int, str]]:
    """Every RTS of the region's training sites and every DAM of its establishments,
    today: address → (person id, as what). One address once."""
    functions = (
        Function.objects.filter(active_on(timezone.localdate()))
        .filter(
            Q(
                role=Role.SITE_SUPERVISOR,
                training_site__subdivision__region_id=campaign.region_id,
            )
            | Q(role=Role.MEDICAL_AFFAIRS, establishment__region_id=campaign.region_id)
        )
        .values_list("person_id", "role")
    )
    roles_of: dict[int, set[str]] = defaultdict(set)
    for person_id, role in functions:
        roles_of[person_id].add("RTS" if role == Role.SITE_SUPERVISOR else "DAM")
    found = {}
    for email, person_id in EmailAddress.objects.filter(
        is_primary=True, person_id__in=list(roles_of)
    ).values_list("email", "person_id"):
        found.setdefault(
            email.lower(), (person_id, ", ".join(sorted(roles_of[person_id])))
        )
    return found


# --- dashboards --------------------------------------------------------------------------


@dataclass
class Dashboard:
    total: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_specialty: list[tuple[str, int]] = field(default_factory=list)
    by_subdivision: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    opinions_pending: dict[str, int] = field(default_factory=dict)
    late: int = 0
    # Day by day: requests submitted and decided so far (the progress chart).
    progress: list[tuple[dt.date, int, int]] = field(default_factory=list)

    def chart(self, width: int = 600, height: int = 160) -> dict[str, str]:
        """SVG polyline points of the progress (submitted, decided)."""
        if not self.progress:
            return {"submitted": "", "decided": ""}
        top = max(max(s, d) for _day, s, d in self.progress) or 1
        step = width / max(1, len(self.progress) - 1)

        def points(index: int) -> str:
            return " ".join(
                f"{round(n * step, 1)},{round(height - row[index] * height / top, 1)}"
                for n, row in enumerate(self.progress)
            )

        return {"submitted": points(1), "decided": points(2), "top": str(top)}


def dashboard(requests: QuerySet[AccreditationRequest]) -> Dashboard:
    """A campaign's (or the nation's) figures over the requests given, in a fixed
    number of grouped queries."""
    board = Dashboard()
    labels = dict(RequestStatus.choices)
    status_counts = dict(
        requests.order_by().values_list("status").annotate(n=Count("pk"))
    )
    board.total = sum(status_counts.values())
    board.by_status = [
        (str(labels[s]), status_counts.get(s, 0)) for s in RequestStatus.values
    ]
    board.by_specialty = list(
        requests.order_by()
        .values_list("specialty__label")
        .annotate(n=Count("pk"))
        .order_by("-n", "specialty__label")
    )
    board.by_subdivision = list(
        requests.order_by()
        .values_list("training_site__subdivision__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "training_site__subdivision__name")
    )
    outcome_labels = dict(Outcome.choices)
    board.outcomes = [
        (str(outcome_labels[o]), n)
        for o, n in requests.order_by()
        .exclude(decision="")
        .values_list("decision")
        .annotate(n=Count("pk"))
        .order_by("decision")
    ]
    waiting = requests.filter(
        status__in=[RequestStatus.SUBMITTED, RequestStatus.ANALYSIS]
    )
    ids = waiting.values("pk")
    given = dict(
        Opinion.objects.filter(request__in=ids)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    n_waiting = waiting.count()
    board.opinions_pending = {
        str(OpinionKind(k).label): n_waiting - given.get(k, 0)
        for k in OpinionKind.values
    }
    board.late = late_requests(requests).count()
    board.progress = _progress(requests)
    return board


def _progress(requests: QuerySet[AccreditationRequest]):
    rows = (
        Transition.objects.filter(
            request__in=requests.values("pk"),
            action__in=["submit", "decide"],
        )
        .exclude(action="submit", source=RequestStatus.SUBMITTED)  # resubmissions
        .order_by()
        .values_list("at__date", "action")
        .annotate(n=Count("pk"))
    )
    per_day: dict[dt.date, Counter] = defaultdict(Counter)
    for day, action, n in rows:
        per_day[day][action] += n
    submitted = decided = 0
    points = []
    for day in sorted(per_day):
        submitted += per_day[day]["submit"]
        decided += per_day[day]["decide"]
        points.append((day, submitted, decided))
    return points


def national_rows() -> list[dict]:
    """DGOS: one row per campaign, its requests by state and outcome."""
    counts = defaultdict(Counter)
    for campaign_id, status, n in (
        AccreditationRequest.objects.order_by()
        .values_list("campaign_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[campaign_id][status] = n
    return [
        {"campaign": c, "counts": [counts[c.pk][s] for s in RequestStatus.values]}
        for c in AccreditationCampaign.objects.select_related("region").order_by(
            "-year", "region__name"
        )
    ]


# --- the RTS's view ----------------------------------------------------------------------


def accreditable_specialties() -> QuerySet[Specialty]:
    """What a site is accredited for: a DES, a co-DES or an FST (not an option)."""
    return Specialty.objects.filter(
        kind__in=[SpecialtyKind.DES, SpecialtyKind.CO_DES, SpecialtyKind.FST]
    ).order_by("label")


def supervised_sites(user):
    return [
        f.training_site
        for f in active_functions(user, all_functions=True)
        if f.role == Role.SITE_SUPERVISOR and f.training_site_id
    ]


def accreditations_in_force(sites) -> QuerySet[Accreditation]:
    today = timezone.localdate()
    return (
        Accreditation.objects.filter(
            training_site__in=sites,
            state__in=ACTIVE_ACCREDITATION_STATES,
            end_date__gte=today,
        )
        .select_related("training_site", "specialty", "supervisor")
        .prefetch_related("phases")
        .order_by("training_site__name", "end_date")
    )


def accreditations_to_review(queryset: QuerySet[Accreditation]) -> QuerySet:
    """In force, but the site's supervisor changed since: the accreditation is tied
    to its RTS, so the site must ask again."""
    today = timezone.localdate()
    current = Function.objects.filter(
        active_on(today),
        role=Role.SITE_SUPERVISOR,
        training_site_id=OuterRef("training_site_id"),
    )
    return (
        queryset.filter(
            state__in=ACTIVE_ACCREDITATION_STATES,
            end_date__gte=today,
            supervisor__isnull=False,
        )
        .filter(Exists(current))
        .exclude(Exists(current.filter(person_id=OuterRef("supervisor_id"))))
    )
