"""Reads of the semester cycle, scoped to who asks."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from domains.people.roles import PerimeterKind
from domains.referential.models import Phase, Semester, Specialty
from domains.referential.selectors import perimeter_q, visible_posts

from .activity import COUNTED_IN_NEEDS
from .models import ActivityKind, ActivityLine
from .opening_rule import Coverage, OpenedPost, coverage


def line_rules() -> dict:
    """Who sees a line: its subdivision's registry (and the host's, for an entrant),
    the region's ARS, the coordinator of its DES there, the resident herself."""
    return {
        PerimeterKind.REGION: lambda f: Q(subdivision__region_id=f.region_id),
        PerimeterKind.SUBDIVISION: lambda f: Q(subdivision_id=f.subdivision_id),
        PerimeterKind.SPECIALTY_IN_SUBDIVISION: lambda f: Q(
            subdivision_id=f.subdivision_id, specialty_id=f.specialty_id
        ),
        PerimeterKind.SELF: lambda f: Q(resident__person_id=f.person_id),
    }


def visible_activity_lines(user) -> QuerySet[ActivityLine]:
    return ActivityLine.objects.filter(perimeter_q(user, line_rules())).select_related(
        "resident__person", "semester", "subdivision", "specialty", "phase"
    )


def coming_semester(today: date | None = None) -> Semester | None:
    """The next semester to place residents for: the first one not begun."""
    today = today or timezone.localdate()
    return Semester.objects.filter(start_date__gt=today).order_by("start_date").first()


def activity_counts(lines: QuerySet[ActivityLine]) -> list[dict]:
    """Lines per DES × phase × situation (one query), with the needs: residents who
    take a seat in the choice (validating supernumeraries included)."""
    rows = list(
        lines.order_by()
        .values("specialty__label", "phase__label", "phase__order", "kind")
        .annotate(n=Count("pk"))
        .order_by("specialty__label", "phase__order", "kind")
    )
    table: dict[tuple, dict] = {}
    for row in rows:
        key = (row["specialty__label"] or "—", row["phase__label"] or "—")
        line = table.setdefault(
            key, {"specialty": key[0], "phase": key[1], "kinds": {}, "needs": 0}
        )
        line["kinds"][row["kind"]] = row["n"]
        if row["kind"] in COUNTED_IN_NEEDS:
            line["needs"] += row["n"]
    for line in table.values():
        # One cell per situation, in the order of ActivityKind (the table's columns).
        line["cells"] = [line["kinds"].get(kind, 0) for kind in ActivityKind.values]
    return list(table.values())


def opening_coverage(user, semester: Semester) -> list[Coverage]:
    """The 107 % rule per DES and phase of the perimeter: residents taking a seat in
    the choice (the semester activity) against the posts opened for the semester.
    A mixed post counts in each DES it is open to; a coupled pair counts once."""
    lines = visible_activity_lines(user).filter(
        semester=semester, kind__in=COUNTED_IN_NEEDS
    )
    choosing = {
        (row["specialty__code"], row["phase__code"]): row["n"]
        for row in lines.order_by()
        .values("specialty__code", "phase__code")
        .annotate(n=Count("pk"))
        if row["specialty__code"] and row["phase__code"]
    }
    posts = (
        visible_posts(user)
        .filter(semester=semester, coupled_from__isnull=True)  # a pair's second half
        .select_related("specialty", "phase")
        .prefetch_related("shared_specialties")
    )
    opened = [
        OpenedPost(
            id=str(post.pk),
            groups=tuple(
                (code, post.phase.code)
                for code in [post.specialty.code]
                + [s.code for s in post.shared_specialties.all()]
            ),
            seats=post.seats,
            coupled=post.coupled_with_id is not None,
        )
        for post in posts
    ]
    return coverage(choosing, opened)


def coverage_rows(user, semester: Semester) -> list[dict]:
    """The opening page's rows: each coverage line with its DES and phase labels."""
    lines = opening_coverage(user, semester)
    specialties = dict(
        Specialty.objects.filter(code__in={c.group[0] for c in lines}).values_list(
            "code", "label"
        )
    )
    phases = dict(Phase.objects.values_list("code", "label"))
    return [
        {
            "specialty": specialties.get(c.group[0], c.group[0]),
            "phase": phases.get(c.group[1], c.group[1]),
            "line": c,
        }
        for c in lines
    ]
