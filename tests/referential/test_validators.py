import pytest
from django.core.exceptions import ValidationError

from domains.referential.models import DataQuality, data_quality_for
from domains.referential.validators import (
    finess_is_valid,
    format_finess,
    siret_is_valid,
    validate_finess,
    validate_siret,
)


@pytest.mark.parametrize(
    "number",
    ["750712184", "690781810", "75 071 218 4", "750.712.184"],
    ids=["AP-HP", "HCL", "with spaces", "with dots"],
)
def test_real_legal_entity_finess_numbers_are_valid(number):
    assert finess_is_valid(number)
    validate_finess(number)


@pytest.mark.parametrize("number", ["750712185", "690781811", "750712148"])
def test_finess_with_a_wrong_key_is_refused_with_a_french_message(number):
    assert not finess_is_valid(number)
    with pytest.raises(ValidationError) as error:
        validate_finess(number)
    assert "clé de contrôle" in error.value.messages[0]
    assert number in error.value.messages[0]


@pytest.mark.parametrize("number", ["75071218", "7507121844", "AB0712184", ""])
def test_finess_of_the_wrong_shape_is_refused(number):
    with pytest.raises(ValidationError) as error:
        validate_finess(number)
    assert "9 caractères attendus" in error.value.messages[0]


def test_corsican_finess_is_checked_with_its_department_read_as_20():
    # 2A/2B are read as "20" for the Luhn key (documented choice, see validators.py).
    from stdnum.luhn import calc_check_digit

    body = "2A0001234"[:8]
    number = body + calc_check_digit("20" + body[2:])
    assert finess_is_valid(number)
    assert finess_is_valid("2B" + number[2:])
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not finess_is_valid(wrong)


def test_finess_is_displayed_in_groups():
    assert format_finess("750712184") == "75 071 218 4"


@pytest.mark.parametrize(
    "number",
    ["73282932000074", "35600000000048", "356 000 000 00048"],
    ids=["ordinary", "La Poste (digit-sum exception)", "with spaces"],
)
def test_valid_siret_numbers_are_accepted(number):
    assert siret_is_valid(number)
    validate_siret(number)


def test_la_poste_exception_does_not_apply_to_other_companies():
    # 732829320 00075: a Luhn-invalid SIRET whose digit sum is not a multiple of 5.
    assert not siret_is_valid("73282932000075")


def test_siret_with_a_wrong_key_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        validate_siret("73282932000075")
    assert "clé de contrôle" in error.value.messages[0]


def test_siret_of_the_wrong_length_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_siret("7328293200007")
    assert "14 chiffres attendus" in error.value.messages[0]


@pytest.mark.parametrize(
    ("finess", "siret", "expected"),
    [
        ("750712184", "", DataQuality.CLEAN),
        ("", "73282932000074", DataQuality.CLEAN),
        ("750712185", "73282932000074", DataQuality.CLEAN),
        ("750712185", "", DataQuality.TO_FIX),
        ("", "73282932000075", DataQuality.TO_FIX),
        ("", "", DataQuality.TO_FIX),
    ],
)
def test_data_quality_is_clean_when_finess_or_siret_is_valid(finess, siret, expected):
    assert data_quality_for(finess, siret) == expected
