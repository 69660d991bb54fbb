"""A bulk-selection box names the record it ticks, so that a screen-reader user
deciding for a jury knows whom she selects."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import page_text
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db


def test_a_stage_box_names_its_resident(client, faculty_registry):
    resident = make_resident(first_name="Inès", last_name="Fabre")
    add_placement(resident, "winter", 2024, validation=None)
    client.force_login(faculty_registry)
    soup = BeautifulSoup(page_text(client.get("/cockpit/stages/")), "html.parser")
    boxes = soup.select('input[name="selection"]')
    assert boxes, "the faculty registry selects stages for a jury"
    [label] = [soup.find("label", attrs={"for": box["id"]}) for box in boxes]
    name = label.get_text(strip=True)
    assert name.startswith(f"Sélectionner {resident.person.full_name} — ")
    assert "Hiver 2024-2025" in name
