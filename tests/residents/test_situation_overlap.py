"""Overlapping special situations are refused, naming the other request (issue 19)."""

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
