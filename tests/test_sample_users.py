"""The named sample users of tests/conftest.py are who their names say."""

import pytest

from domains.people.roles import ROLE_PERIMETER, PerimeterKind, Role
from tests.conftest import SAMPLE_USERS, sample_email

pytestmark = pytest.mark.django_db


def _places(function) -> tuple[str | None, str | None]:
    """The region and the subdivision a function's perimeter lies in."""
    if function.region:
        return function.region.code, None
    if function.subdivision:
        return function.subdivision.region.code, function.subdivision.code
    site = function.training_site
    if site:
        return site.establishment.region.code, site.subdivision.code
    if function.establishment:
        return function.establishment.region.code, None
    return None, None


@pytest.mark.parametrize("name", sorted(SAMPLE_USERS))
def test_each_sample_holds_her_role_inside_or_elsewhere(people, name):
    user = getattr(people, name)
    role = name.removesuffix("_elsewhere")
    (function,) = user.person.functions.all()
    assert function.role == role
    region, subdivision = _places(function)
    if ROLE_PERIMETER[role] in (PerimeterKind.NATIONAL, PerimeterKind.SELF):
        assert (region, subdivision) == (None, None)
    elif name.endswith("_elsewhere"):
        assert region == "53" and subdivision in (None, "RENNES")
    else:
        assert region == "84" and subdivision in (None, "LYON")
    assert user.person.last_name.upper() in str(user.person)
    assert user.email == sample_email(name) and user.email.isascii()


def test_samples_are_made_once_per_test_and_found_by_role(people, coordinator):
    assert people.coordinator == coordinator
    assert people.get(Role.COORDINATOR) == coordinator
    assert people.get(Role.COORDINATOR, elsewhere=True) == people.coordinator_elsewhere
    assert people.coordinator.person.functions.get().specialty.code == "DES-MCA"


def test_the_residents_have_their_record_in_their_subdivision(resident, people):
    assert resident.person.resident.subdivision.code == "LYON"
    assert people.resident_elsewhere.person.resident.subdivision.code == "RENNES"


def test_site_staff_work_on_the_sample_site(people):
    site = people.site
    assert people.site_supervisor.person.functions.get().training_site == site
    assert people.practitioner.person.functions.get().training_site == site
    dam = people.medical_affairs.person.functions.get()
    assert dam.establishment == site.establishment
    assert site.subdivision.code == "LYON" and site.accreditations.exists()
    assert people.site_elsewhere.subdivision.code == "RENNES"


def test_ars_fixture_signs_in_and_the_others_do_not(client, ars, dgos):
    assert int(client.session["_auth_user_id"]) == ars.pk != dgos.pk


def test_an_unknown_sample_name_is_an_error(people):
    with pytest.raises(AttributeError, match="no sample user 'nobody'"):
        _ = people.nobody
