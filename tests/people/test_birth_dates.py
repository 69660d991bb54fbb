"""Birth dates must be plausible: the person is an adult, under 100 (issue 19)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from domains.cockpit.dates import shifted
from domains.people.permissions import SYSTEM
from domains.people.services import person_update

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("years_ago", "refusal"),
    [(-1, "doit être majeure"), (5, "doit être majeure"), (101, "plus de 100 ans")],
)
def test_an_implausible_birth_date_is_refused_and_nothing_changes(
    people, years_ago, refusal
):
    person = people.site_supervisor.person
    born = shifted(timezone.localdate(), years=-years_ago)
    with pytest.raises(ValidationError, match=refusal):
        person_update(person=person, birth_date=born, by=SYSTEM)
    person.refresh_from_db()
    assert person.birth_date != born


def test_an_adult_birth_date_is_kept(people):
    person = people.site_supervisor.person
    person_update(person=person, birth_date=date(1985, 4, 12), by=SYSTEM)
    person.refresh_from_db()
    assert person.birth_date == date(1985, 4, 12)


def test_the_edit_form_says_why_on_the_field(client, people):
    person = people.site_supervisor.person
    client.force_login(people.ars)
    response = client.post(
        f"/cockpit/personnes/{person.pk}/modifier/",
        {
            "civility": person.civility,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": timezone.localdate().isoformat(),
            "phone": "",
        },
    )
    assert "la personne doit être majeure" in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date is None
