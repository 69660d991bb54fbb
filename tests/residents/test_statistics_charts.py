"""The residents' statistics: bars drawn to scale, each chart with its data table."""

import re

import pytest

from domains.cockpit.charts import BarChart, share
from tests.conftest import login_verified, page_text
from tests.factories.residents import make_resident

STATISTICS = "/cockpit/statistiques/internes/"


def _section(page: str, title: str) -> str:
    """The page's section of the chart of this title."""
    start = page.index(f">{title}</h2>")
    return page[start : page.index("</section>", start)]


def _bars(section: str) -> dict[str, float]:
    """Each bar's label and drawn length (in percent of the track)."""
    drawing = section[: section.index("<table")]
    return {
        label: float(width)
        for label, width in re.findall(
            r'siimop-chart__label">([^<]+)</span>\s*<svg[^>]*viewBox="0 0 100 10"'
            r'[^>]*><rect[^>]*width="([0-9.]+)"',
            drawing,
        )
    }


def _table(section: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """The data table's caption, column headers and rows."""
    table = section[section.index("<table") :]
    caption = re.search(r"<caption>([^<]+)</caption>", table)[1]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td></tr>', table)
    return caption, headers, rows


def test_a_bar_is_its_value_over_the_largest_of_its_chart():
    chart = BarChart("Internes par subdivision", [("Lyon", 16), ("Rennes", 14)])
    assert [length for _label, _value, length in chart.bars] == ["100", "87.5"]
    assert share(1, 3) == "33.33" and share(0, 16) == "0" and share(0, 0) == "0"


@pytest.mark.django_db
def test_14_is_drawn_14_16ths_of_16_and_the_table_lists_the_values(client, people):
    for _ in range(16):
        make_resident(subdivision_code="LYON", cohort=2023)
    for _ in range(14):
        make_resident(subdivision_code="RENNES", cohort=2024)
    login_verified(client, people.dgos)
    page = page_text(client.get(STATISTICS))
    assert "30 internes dans ce périmètre" in page

    section = _section(page, "Internes par subdivision")
    bars = _bars(section)
    assert bars == {"Lyon": 100.0, "Rennes": 87.5}
    assert bars["Rennes"] / bars["Lyon"] == 14 / 16
    caption, headers, rows = _table(section)
    assert caption == "Données : Internes par subdivision"
    assert headers == ["Subdivision", "Internes"]
    assert rows == [("Lyon", "16"), ("Rennes", "14")]

    promotions = _section(page, "Internes par promotion")
    assert _bars(promotions) == {"2024": 87.5, "2023": 100.0}
    assert _table(promotions)[2] == [("2024", "14"), ("2023", "16")]


@pytest.mark.django_db
def test_the_bars_are_drawn_without_a_style_attribute_nor_a_script(client, people):
    make_resident(subdivision_code="LYON")
    client.force_login(people.ars)
    page = page_text(client.get(STATISTICS))
    assert "1 interne dans ce périmètre" in page
    section = _section(page, "Internes par subdivision")
    assert _bars(section) == {"Lyon": 100.0}
    assert "style=" not in section and "data-bar-width" not in section
    # The drawing is hidden from screen readers: its table says the same.
    assert 'class="siimop-chart" aria-hidden="true"' in section


@pytest.mark.django_db
def test_an_empty_perimeter_says_0_interne_and_draws_no_bar(client, people):
    client.force_login(people.ars)
    page = page_text(client.get(STATISTICS))
    assert "0 interne dans ce périmètre" in page
    section = _section(page, "Internes par subdivision")
    assert "Aucune donnée." in section and "<rect" not in section
