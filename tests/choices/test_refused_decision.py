"""A refused decision comes back on the record's page with what the person typed: the
DG ARS whose signature is refused (the 107 % rule not met, or a field missing) finds
her decree number, commission date and minutes in the form again, the reason next to
it; the next visit of the page starts from an empty form."""

import re

import pytest

from domains.choices.models import OpeningStatus, PostOpening
from tests.choices.test_choice_groups import world as groups  # noqa: F401
from tests.choices.test_post_opening import _prepare, world  # noqa: F401
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

MINUTES = "Commission réunie le matin ; deux représentants des internes présents."


def _sign_form(page: str) -> str:
    """The signature form of the opening's page, as drawn."""
    found = re.search(
        r'<form[^>]*action="[^"]*/decision/signer/".*?</form>', page, re.S
    )
    assert found, "the page draws no signature form"
    return found.group(0)


def _post(client, opening, **data):
    return client.post(
        f"/cockpit/ouvertures/{opening.pk}/decision/signer/", data, follow=True
    )


def test_a_refused_signature_keeps_what_was_typed(client, world):  # noqa: F811
    opening = _prepare(client, world)
    response = _post(
        client,
        opening,
        decree_reference="ARS-ARA-2027-099",
        commission_date="2026-09-15",
        minutes=MINUTES,
    )
    assert response.redirect_chain[-1][0] == opening.get_absolute_url()
    assert PostOpening.objects.get().status == OpeningStatus.DRAFT
    form = _sign_form(response.content.decode())
    assert 'value="ARS-ARA-2027-099"' in form
    assert 'value="2026-09-15"' in form
    assert MINUTES.replace("'", "&#x27;") in form
    # The service's reason, inside the form, above its button.
    assert "La règle des 107 % n&#x27;est pas respectée pour 1 DES et phase" in form
    # Seen once: reloading the page gives an empty form again.
    again = _sign_form(client.get(opening.get_absolute_url()).content.decode())
    assert "ARS-ARA-2027-099" not in again and "107 %" not in again


def test_an_invalid_signature_form_says_which_field_next_to_it(client, world):  # noqa: F811
    opening = _prepare(client, world)
    response = _post(
        client, opening, decree_reference="ARS-ARA-2027-100", minutes=MINUTES
    )
    form = _sign_form(response.content.decode())
    assert 'value="ARS-ARA-2027-100"' in form
    assert "Date de la commission des besoins : Champ requis." in form
    assert 'href="#id_commission_date"' in form  # the summary leads to the field
    assert PostOpening.objects.get().status == OpeningStatus.DRAFT


def test_a_refused_publication_keeps_its_date_next_to_its_reason(client, groups):  # noqa: F811
    """The same for every decision with a form: the call list's publication."""
    from domains.choices.models import CallList
    from tests.choices.test_choice_groups import _compute

    _compute(groups)
    call_list = CallList.objects.get(specialty__code="DES-MCA")
    login_verified(client, groups["ars"])
    response = client.post(
        f"{call_list.get_absolute_url()}decision/publier/",
        {"contests_until": "2020-01-31"},
        follow=True,
    )
    page = response.content.decode()
    found = re.search(
        r'<form[^>]*action="[^"]*/decision/publier/".*?</form>', page, re.S
    )
    assert found, "the page draws no publication form"
    assert 'value="2020-01-31"' in found.group(0)
    assert "ne peut pas précéder aujourd&#x27;hui" in found.group(0)
    call_list.refresh_from_db()
    assert call_list.status == "draft"
