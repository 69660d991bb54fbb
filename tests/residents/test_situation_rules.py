"""Rules at the door of a special situation (issue 19): overlapping periods are refused
naming the other request; the remorse list offers the other DES of her discipline."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from domains.residents.models import SituationKind, SpecialSituation
from domains.residents.services import situation_request, situation_withdraw

pytestmark = pytest.mark.django_db


def _ask(people, kind, start, end):
    return situation_request(
        resident=people.resident.person.resident,
        kind=kind,
        start_date=start,
        end_date=end,
        motive="Projet",
        by=people.resident,
    )


def test_a_second_situation_over_the_same_days_is_refused_naming_the_first(people):
    year = timezone.localdate().year + 1
    first = _ask(
        people, SituationKind.RESEARCH_YEAR, date(year, 11, 1), date(year + 1, 10, 31)
    )
    with pytest.raises(ValidationError) as refusal:
        _ask(
            people,
            SituationKind.RESEARCH_YEAR,
            date(year + 1, 5, 1),
            date(year + 2, 4, 30),
        )
    message = " ".join(refusal.value.messages)
    assert str(first) in message and "demandée" in message
    assert SpecialSituation.objects.count() == 1

    # A sick leave may fall within it; once the first is withdrawn, the period is free.
    _ask(people, SituationKind.SICK_LEAVE, date(year, 12, 1), date(year, 12, 15))
    situation_withdraw(situation=first, by=people.resident)
    _ask(
        people, SituationKind.RESEARCH_YEAR, date(year + 1, 5, 1), date(year + 2, 4, 30)
    )
    assert SpecialSituation.objects.count() == 3


def test_the_remorse_list_offers_the_other_des_of_her_discipline_by_name(
    client, people
):
    from domains.referential.models import Specialty

    resident = people.resident.person.resident
    current = resident.enrolments.get().specialty
    client.force_login(people.resident)
    form = client.get("/cockpit/mon-parcours/").context["form"]
    offered = list(form.fields["target_specialty"].queryset)
    assert offered, "no DES offered"
    assert current not in offered
    assert {s.discipline for s in offered} == {current.discipline}
    labels = [s.label for s in offered]
    assert labels == sorted(labels) and len(labels) == len(set(labels))
    other = Specialty.objects.exclude(discipline=current.discipline).first()
    assert other is None or other not in offered
