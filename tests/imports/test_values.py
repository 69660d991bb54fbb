"""Dirty legacy values, read as a person would read them."""

from datetime import date, datetime

import pytest

from imports.values import (
    fold,
    parse_bool,
    parse_date,
    parse_semester,
    text,
)


def test_text_and_labels():
    assert text("  Hôpital\u00a0Nord  ") == "Hôpital Nord"
    assert (
        fold("  Identifiant IMOTEP ")
        == fold("identifiant imotep")
        == "identifiant imotep"
    )
    assert fold("Établissement") == "etablissement"
    assert text(12.0) == "12"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (44927, date(2023, 1, 1)),
        ("44927", date(2023, 1, 1)),
        ("01/02/2023", date(2023, 2, 1)),
        ("2023-02-01", date(2023, 2, 1)),
        (datetime(2023, 2, 1, 0, 0), date(2023, 2, 1)),
        ("", None),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


def test_a_bad_date_says_what_was_expected():
    with pytest.raises(ValueError, match="date illisible « 31/02 »"):
        parse_date("31/02")


@pytest.mark.parametrize("raw", ["Oui", "O", "1", "X", " oui "])
def test_true(raw):
    assert parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["Non", "N", "0", ""])
def test_false(raw):
    assert parse_bool(raw) is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Novembre 2022", ("winter", 2022)),
        ("Mai 2023", ("summer", 2023)),
        ("2022-2023 hiver", ("winter", 2022)),
        ("Hiver 2022-2023", ("winter", 2022)),
        ("Été 2023", ("summer", 2023)),
        ("01/11/2022", ("winter", 2022)),
        ("Février 2023", ("winter", 2022)),
    ],
)
def test_semesters(raw, expected):
    assert parse_semester(raw) == expected
