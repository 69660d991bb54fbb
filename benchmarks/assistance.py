"""UNESS Assistance at national scale (~50,000 requests with their histories).

Run from the project root with the project's venv: `python -m benchmarks.assistance`
(BENCH_DB=path reuses a database seeded with `seed_demo --scale national`; see
benchmarks/common.py).
Goals (issue "UNESS Assistance"): a level-1 agent's ticket list median < 300 ms, the
national statistics page median < 1 s, a bounded number of queries (the same for a
level-1 agent's list of his subdivision as for level 2's list of all France). The goal
is the anchor of each figure (ratio = figure / goal); lists are also timed side by side
with the Django admin changelist of django-helpdesk's tickets on the same rows.
"""

import sys

from benchmarks.common import (
    SMOKE,
    Table,
    finish,
    median_ms,
    prepare_database,
    query_count,
    runs,
    setup_django,
    signed_in,
)

GOALS_MS = {"list": 300.0, "statistics": 1000.0}
MAX_QUERIES = 25


def cases() -> list[tuple[str, str, str, str, str]]:
    """(case, user, URL, goal key, Django admin URL of the same rows or "")."""
    from assistance.models import Period, Team
    from domains.referential.models import Subdivision

    lyon = Team.objects.get(subdivision=Subdivision.objects.get(code="LYON"))
    period = Period.objects.order_by("start").first()
    a = "/django-admin/helpdesk/ticket/"
    l1, l2 = "support1@demo.siimop.fr", "support2@demo.siimop.fr"
    return [
        (
            "N1 Lyon : demandes",
            l1,
            "/cockpit/demandes-assistance/",
            "list",
            f"{a}?queue__id__exact={lyon.queue_id}",
        ),
        (
            "N1 Lyon : en retard",
            l1,
            "/cockpit/demandes-assistance/?late=true",
            "list",
            "",
        ),
        (
            "N1 Lyon : recherche « connecter »",
            l1,
            "/cockpit/demandes-assistance/?q=connecter",
            "list",
            "",
        ),
        ("N2 national : demandes", l2, "/cockpit/demandes-assistance/", "list", a),
        (
            "Statistiques nationales (UNESS)",
            "admin@demo.siimop.fr",
            "/cockpit/assistance/statistiques/",
            "statistics",
            "",
        ),
        (
            f"Statistiques nationales, {period.name[:18]}…",
            "admin@demo.siimop.fr",
            f"/cockpit/assistance/statistiques/?period={period.pk}",
            "statistics",
            "",
        ),
        (
            "Statistiques DGOS",
            "dgos@demo.siimop.fr",
            "/cockpit/assistance/statistiques/",
            "statistics",
            "",
        ),
        (
            "Statistiques ARS (sa région)",
            "ars@demo.siimop.fr",
            "/cockpit/assistance/statistiques/",
            "statistics",
            "",
        ),
    ]


def main() -> int:
    database = prepare_database()
    setup_django(database)
    from helpdesk.models import FollowUp, Ticket

    from assistance.models import TicketContext

    print(
        f"UNESS Assistance at {'small' if SMOKE else 'national'} scale (SQLite): "
        f"{Ticket.objects.count()} requests, {FollowUp.objects.count()} follow-ups, "
        f"{TicketContext.objects.filter(escalated=True).count()} escalated; "
        f"median of {runs(7)} requests."
    )
    print(
        "anchor: the issue's goal (ratio = figure / goal); admin = Django admin "
        "changelist of the same tickets.\n"
    )
    table = Table(
        ("case", 46, ""),
        ("ms", 8, ".1f"),
        ("goal", 7, ".0f"),
        ("ratio", 7, ".2f"),
        ("queries", 9, "d"),
        ("admin ms", 10, ".1f"),
    )
    misses, rows = [], []
    for label, user, url, goal_key, anchor in cases():
        client = signed_in(user)
        ms = median_ms(client, url)
        queries = query_count(client, url)
        admin_ms = (
            median_ms(signed_in("admin@demo.siimop.fr"), anchor) if anchor else ""
        )
        ratio = ms / GOALS_MS[goal_key]
        rows.append((label, ms, ratio, queries))
        if queries > MAX_QUERIES:
            misses.append(f"{label} {queries} queries")
        table.row(
            label,
            ms,
            GOALS_MS[goal_key],
            ratio,
            queries,
            admin_ms,
            miss="" if ratio < 1.0 else f"{label} {ms:.0f} ms",
        )
    lyon_list, national_list = rows[0][3], rows[3][3]
    if lyon_list != national_list:
        misses.append(
            f"list queries grow with the rows: {lyon_list} vs {national_list}"
        )
    worst = max(rows, key=lambda r: r[2])
    return finish(
        table.misses + misses,
        f"every figure under its goal (closest: {worst[0]}, "
        f"{worst[1]:.0f} ms, ratio {worst[2]:.2f}); at most "
        f"{max(r[3] for r in rows)} queries, the same for one subdivision's list as "
        "for all France's",
    )


if __name__ == "__main__":
    sys.exit(main())
