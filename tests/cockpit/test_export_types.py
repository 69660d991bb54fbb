"""A list exported to XLSX holds typed cells: dates are dates, counts are numbers."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.referential import AccreditationFactory, PostFactory


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.worksheets[0].iter_rows()]


def _column(rows, header: str) -> list:
    index = [cell.value for cell in rows[0]].index(header)
    return [row[index] for row in rows[1:]]


@pytest.mark.django_db
def test_the_posts_export_writes_seats_as_a_number(client, ars):
    PostFactory(seats=3)
    rows = _sheet(client.get(reverse("cockpit:postes_export", kwargs={"fmt": "xlsx"})))
    [seats] = _column(rows, "Nombre de postes")
    assert seats.value == 3 and type(seats.value) is int and seats.data_type == "n"


@pytest.mark.django_db
def test_the_accreditations_export_writes_dates_as_french_dates(client, ars):
    AccreditationFactory(start_date=date(2026, 11, 30), end_date=date(2031, 10, 31))
    url = reverse("cockpit:agrements_export", kwargs={"fmt": "xlsx"})
    rows = _sheet(client.get(url))
    [start] = _column(rows, "Début")
    assert start.is_date and isinstance(start.value, datetime | date)
    assert start.value.date() == date(2026, 11, 30)
    assert start.number_format.upper() == "DD/MM/YYYY"
    [state] = _column(rows, "État")
    assert state.data_type == "s" and state.value[0].isupper()  # the French label

    response = client.get(reverse("cockpit:agrements_export", kwargs={"fmt": "csv"}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, line = csv.reader(io.StringIO(content, newline=""), delimiter=";")
    assert line[header.index("Début")] == "30/11/2026"
