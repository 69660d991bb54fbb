"""DGOS reads the 107 % rule per region and DES, nationally: a region whose phase is
short shows it; the ARS of a region has no national door."""

import pytest

from domains.choices.services import activity_prefill
from domains.people.roles import Role
from domains.referential.models import Post
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import phase, region, specialty, subdivision
from tests.factories.residents import accredited_site, make_resident

pytestmark = pytest.mark.django_db
URL = "/cockpit/ouverture-des-postes/nationale/"


def test_dgos_sees_each_region_and_des_with_its_verdict(client):
    semester = coming()
    for _ in range(2):
        make_resident(start=("winter", 2026))
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision())
    activity_prefill(by=registry, subdivision=subdivision(), semester=semester)
    Post.objects.create(
        semester=semester,
        training_site=accredited_site(),
        specialty=specialty("DES-MCA"),
        phase=phase("socle"),
        seats=2,
    )
    login_verified(client, make_user_with_role(Role.DGOS))
    page = client.get(URL).content.decode()
    # 2 choose: ceil(2.14) = 3 needed, 2 opened.
    assert "Auvergne-Rhône-Alpes" in page and "Médecine cardiovasculaire" in page
    assert "1 phase sous la règle" in page
    assert "100 %" in page
    Post.objects.filter(semester=semester).update(seats=3)
    page = client.get(URL).content.decode()
    assert "La règle est respectée partout (1 région)." in page
    client.logout()
    login_verified(client, make_user_with_role(Role.ARS, region=region()))
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/cockpit/").content.decode()
