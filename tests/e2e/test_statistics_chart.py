"""The residents' statistics in the browser: 14 is drawn 14/16ths of 16 on screen,
under the Content-Security-Policy (no style attribute, no script), beside its table."""

import pytest

from tests.e2e.browser import sign_in
from tests.factories.residents import make_resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_bars_are_drawn_to_scale_beside_their_table(
    live_server, page, screenshot, people
):
    for _ in range(16):
        make_resident(subdivision_code="LYON", cohort=2023)
    for _ in range(14):
        make_resident(subdivision_code="LYON", cohort=2024)
    sign_in(page, live_server, people.ars)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/cockpit/statistiques/internes/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Internes par promotion")
    )
    bars = section.locator("rect.siimop-chart__bar")
    widths = {
        bar.get_attribute("data-value"): bar.bounding_box()["width"]
        for bar in bars.all()
    }
    assert set(widths) == {"16", "14"}
    assert widths["16"] > 200  # drawn, and long enough to compare
    assert widths["14"] / widths["16"] == pytest.approx(14 / 16, rel=0.01)

    table = section.get_by_role("table", name="Données : Internes par promotion")
    assert table.is_visible()
    assert table.get_by_role("row").all_inner_texts() == [
        "Promotion\tInternes",
        "2024\t14",
        "2023\t16",
    ]
    screenshot("90-statistiques-internes")
