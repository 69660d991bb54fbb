"""Every cockpit list's column headers start with a capital letter, as a French title
does ("Subdivision", not "subdivision")."""

import pytest
from bs4 import BeautifulSoup

from domains.cockpit.registry import registry
from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def test_every_column_header_of_every_screen_is_capitalised():
    lower = []
    for slug, screen in registry.screens.items():
        table = screen.table_class(screen.model.objects.none())
        for column in table.columns:
            header = str(column.header).strip()
            if header and header[0].isalpha() and not header[0].isupper():
                lower.append(f"{slug}: {header!r}")
    assert registry.screens  # the check ran over the screens
    assert lower == []


def test_a_wide_list_shows_its_spare_column_once_asked(client, ars):
    """The accreditation requests' ten columns do not fit beside the filters at
    1280 px: the campaign waits in the column chooser until the agent ticks it."""

    def headers_and_chooser():
        soup = BeautifulSoup(
            page_text(client.get("/cockpit/demandes-agrement/")), "html.parser"
        )
        headers = [th.get_text(" ", strip=True) for th in soup.select("table thead th")]
        box = soup.find("input", attrs={"name": "columns", "value": "campaign"})
        return headers, box

    headers, box = headers_and_chooser()
    assert not any(h.startswith("Campagne") for h in headers)
    assert any(h.startswith("Terrain de stage") for h in headers)
    assert box is not None and not box.has_attr("checked")
    shown = ["pk", "training_site", "establishment", "subdivision", "campaign"]
    client.post(
        "/cockpit/demandes-agrement/colonnes/",
        {"columns": shown, "per_page": "25", "next": "/cockpit/demandes-agrement/"},
    )
    headers, box = headers_and_chooser()
    assert any(h.startswith("Campagne") for h in headers)
    assert box.has_attr("checked")
