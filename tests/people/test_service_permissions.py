"""The one question every write service asks: may this person act on this record?"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from domains.people.permissions import may, require
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, specialty, subdivision

pytestmark = pytest.mark.django_db
CHANGE_SITE = "referential.change_trainingsite"


def test_an_ars_agent_acts_in_her_region_and_nowhere_else():
    agent = make_user_with_role(Role.ARS, region=region("84"))
    assert may(agent, CHANGE_SITE, [subdivision("LYON"), region("84")])
    assert not may(agent, CHANGE_SITE, [subdivision("RENNES"), region("53")])


def test_a_role_without_the_permission_is_refused_even_inside_its_perimeter():
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=subdivision("LYON"), specialty=specialty()
    )
    assert not may(coordinator, CHANGE_SITE, [subdivision("LYON"), specialty()])


def test_a_coordinator_reaches_her_specialty_in_her_subdivision_only():
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=subdivision("LYON"), specialty=specialty()
    )
    permission = "residents.change_specialsituation"
    assert may(coordinator, permission, [subdivision("LYON"), specialty()])
    assert not may(coordinator, permission, [subdivision("LYON"), specialty("DES-PED")])
    assert not may(coordinator, permission, [subdivision("LYON")])


def test_one_function_lends_nothing_to_another():
    """An RTS who is also ARS elsewhere may not change a site of her RTS region."""
    from domains.people.services import function_grant
    from tests.factories.referential import EstablishmentFactory, TrainingSiteFactory

    site = TrainingSiteFactory(
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    person_user = make_user_with_role(Role.ARS, region=region("84"))
    function_grant(
        person=person_user.person,
        role=Role.SITE_ASSISTANT,
        training_site=site,
        start_date=date(2024, 9, 1),
    )
    perimeter = [site.subdivision, region("53"), site.establishment, site]
    assert not may(person_user, CHANGE_SITE, perimeter)


def test_require_refuses_with_a_french_sentence_and_nobody_is_nobody():
    with pytest.raises(PermissionDenied, match="Votre fonction ne vous permet pas"):
        require(None, CHANGE_SITE, [region("84")])
