import pytest

from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import region


@pytest.fixture
def ars(client):
    """An ARS agent of Auvergne-Rhône-Alpes, signed in."""
    user = make_user_with_role(Role.ARS, region=region("84"))
    client.force_login(user)
    return user
