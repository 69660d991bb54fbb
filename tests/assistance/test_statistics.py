"""Statistics per period and team: volumes, working-hours times (median, 90th
percentile), escalation rate, top articles, XLSX; each reader sees his scope only."""

import io
from datetime import date, datetime

import pytest
from helpdesk.models import KBCategory, KBItem, Ticket
from openpyxl import load_workbook

from assistance.hours import PARIS
from assistance.models import ArticleRead, Category, Period, Team, TicketContext
from assistance.services import (
    period_save,
    request_file,
    teams_setup,
    ticket_escalate,
)
from assistance.statistics import percentile, statistics
from tests.conftest import login_verified
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db
PAGE = "/cockpit/assistance/statistiques/"


def _ticket(code: str, category: str, created: datetime, hours=None) -> Ticket:
    ticket = request_file(
        title=f"{category} {code}",
        description="…",
        category=category,
        email="x@exemple.fr",
        subdivision=subdivision(code),
    )
    Ticket.objects.filter(pk=ticket.pk).update(created=created)
    if hours is not None:
        TicketContext.objects.filter(ticket=ticket).update(
            first_response_hours=hours, resolution_hours=hours * 4
        )
    return ticket


@pytest.fixture
def world(people):
    teams_setup()
    in_campaign = datetime(2026, 3, 10, 10, tzinfo=PARIS)
    for hours in (1, 2, 3, 4, 10):
        _ticket("LYON", Category.ACCREDITATION, in_campaign, hours)
    _ticket("LYON", Category.ACCOUNT, datetime(2026, 9, 1, 10, tzinfo=PARIS), 50)
    _ticket("RENNES", Category.ACCREDITATION, in_campaign, 7)
    uness = people.uness_admin
    period = period_save(
        by=uness,
        period=None,
        name="Agréments 2026",
        start=date(2026, 3, 1),
        end=date(2026, 4, 30),
    )
    return {"uness": uness, "period": period}


def test_percentiles_are_nearest_rank():
    assert percentile([1, 2, 3, 4, 10], 50) == 3
    assert percentile([1, 2, 3, 4, 10], 90) == 10
    assert percentile([], 50) is None


def test_a_period_counts_its_tickets_times_and_escalations(world, people):
    lyon_agent = people.support_l1
    ticket = Ticket.objects.filter(title__endswith="LYON").first()
    ticket_escalate(by=lyon_agent, ticket=ticket, reason="Bogue du formulaire")
    stats = statistics(world["uness"], period=world["period"])
    assert stats.total == 6  # five in Lyon and one in Rennes, not September's
    assert {r.label: r.count for r in stats.by_category} == {"Agréments": 6}
    assert stats.first_response == (3, 10)  # hours 1, 2, 3, 4, 7, 10
    assert stats.resolution == (12, 40)
    assert stats.escalated == 1 and stats.escalation_rate == 16.7
    assert {r.label: r.count for r in stats.by_tier} == {
        "Niveau 1 (subdivision)": 5,
        "Niveau 2 (UNESS)": 1,
    }
    team = Team.objects.get(subdivision=subdivision("RENNES"))
    assert statistics(world["uness"], period=world["period"], team=team).total == 1


def test_an_ars_sees_its_regions_subdivisions_only(world, people):
    ars = people.ars
    stats = statistics(ars)
    assert stats.total == 6  # Lyon's, all periods; Rennes is in another region
    assert [r.label for r in stats.by_team] == [
        f"{subdivision('LYON').name} — niveau 1"
    ]
    nobody = people.resident_representative
    assert statistics(nobody).total == 0


def test_top_articles_are_the_most_read_in_the_period_and_scope(world, people):
    category = KBCategory.objects.create(
        name="Agréments", title="Agréments", slug="agrements", description="."
    )
    dossier = KBItem.objects.create(
        category=category, title="Déposer un dossier", question="?", answer="!"
    )
    other = KBItem.objects.create(
        category=category, title="Joindre un PDF", question="?", answer="!"
    )
    for item, n, code in (
        (dossier, 3, "LYON"),
        (other, 1, "LYON"),
        (other, 5, "RENNES"),
    ):
        for _ in range(n):
            ArticleRead.objects.create(article=item, subdivision=subdivision(code))
    ArticleRead.objects.update(at=datetime(2026, 3, 15, 12, tzinfo=PARIS))
    ars = people.ars
    assert [
        (r.label, r.count) for r in statistics(ars, period=world["period"]).articles
    ] == [
        ("Déposer un dossier", 3),
        ("Joindre un PDF", 1),
    ]
    national = statistics(world["uness"], period=world["period"]).articles
    assert national[0].label == "Joindre un PDF" and national[0].count == 6


def test_the_page_shows_the_figures_and_exports_them(client, world):
    login_verified(client, world["uness"])
    page = client.get(PAGE, {"period": world["period"].pk}).content.decode()
    assert "Agréments 2026, du 01/03/2026 au 30/04/2026." in page
    assert "3,0 h" in page  # median first response
    export = client.get(PAGE, {"period": world["period"].pk, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    summary = {row[0].value: row[1].value for row in workbook["Synthèse"].iter_rows()}
    assert summary["Demandes"] == 6
    assert summary["Première réponse, 90e centile (h ouvrées)"] == 10
    assert [r[1].value for r in workbook["Catégories"].iter_rows(min_row=2)] == [6]


def test_the_page_is_refused_to_whoever_has_no_statistics(client, world, people):
    client.force_login(people.resident_representative)
    assert client.get(PAGE).status_code == 403


def test_only_uness_defines_periods(client, world, people):
    ars = people.ars
    with pytest.raises(Exception, match="définies par l'UNESS"):
        period_save(
            by=ars, period=None, name="x", start=date(2026, 1, 1), end=date(2026, 2, 1)
        )
    client.force_login(ars)
    assert client.get("/cockpit/periodes-assistance/").status_code == 403
    assert client.get("/cockpit/periodes-assistance/nouveau/").status_code == 403
    # …but she picks them on her statistics page.
    assert "Agréments 2026" in client.get(PAGE).content.decode()
    login_verified(client, world["uness"])
    response = client.post(
        "/cockpit/periodes-assistance/nouveau/",
        {"name": "Appariement DJ 2026", "start": "2026-06-30", "end": "2026-06-01"},
    )
    assert (
        "La date de fin (01/06/2026) précède la date de début (30/06/2026)."
        in response.content.decode()
    )
    assert not Period.objects.filter(name="Appariement DJ 2026").exists()


def test_a_level_1_agents_statistics_count_his_subdivision_only(client, world, people):
    agent = people.support_l1_elsewhere
    stats = statistics(agent, period=world["period"])
    assert stats.total == 1
    assert [r.label for r in stats.by_team] == [
        f"{subdivision('RENNES').name} — niveau 1"
    ]
    client.force_login(agent)
    page = client.get(PAGE).content.decode()
    assert subdivision("LYON").name not in page


def test_the_breakdowns_are_drawn_to_scale_with_their_data_table():
    """The bars are their counts over the largest (no cap drawing 14 as long as 16),
    and each chart's table gives the figures."""
    from django.template.loader import render_to_string

    from domains.cockpit.charts import BarChart

    chart = BarChart("Par catégorie", [("Parcours", 16), ("Agréments", 14)])
    html = render_to_string("cockpit/_bar_chart.html", {"chart": chart, "id": 1})
    assert 'width="100"' in html and 'width="87.5"' in html
    assert '<th scope="row">Agréments</th><td>14</td>' in html
