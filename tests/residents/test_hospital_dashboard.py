"""Tableau de bord CH/CHU: the DAM and the director read their establishment (its
accreditations, sites and teams, the residents placed there now, the posts opened),
never another's; the other roles have no such door."""

import pytest

from domains.people.roles import Role
from domains.referential.models import Post
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    EstablishmentFactory,
    current_semester,
    phase,
    region,
    specialty,
)
from tests.factories.residents import accredited_site, add_placement, make_resident

pytestmark = pytest.mark.django_db
URL = "/cockpit/tableau-de-bord-etablissement/"


@pytest.fixture
def two_hospitals():
    here = EstablishmentFactory(name="Hôpital de la Croix-Rousse")
    there = EstablishmentFactory(name="Centre hospitalier de Vienne")
    site_here = accredited_site(establishment=here, name="Cardiologie — Croix-Rousse")
    site_there = accredited_site(establishment=there, name="Cardiologie — Vienne")
    semester = current_semester()
    for site in (site_here, site_there):
        Post.objects.create(
            semester=semester,
            training_site=site,
            specialty=specialty("DES-MCA"),
            phase=phase("socle"),
            seats=3,
        )
    placed_here = make_resident(first_name="Camille", last_name="Rivière")
    add_placement(
        placed_here, semester.season, semester.year, validation=None, site=site_here
    )
    placed_there = make_resident(first_name="Hugo", last_name="Marchal")
    add_placement(
        placed_there, semester.season, semester.year, validation=None, site=site_there
    )
    return here, there


@pytest.mark.parametrize("role", [Role.MEDICAL_AFFAIRS, Role.ESTABLISHMENT_DIRECTOR])
def test_the_hospital_reads_its_own_establishment_only(client, two_hospitals, role):
    here, _there = two_hospitals
    login_verified(client, make_user_with_role(role, establishment=here))
    home = client.get("/cockpit/").content.decode()
    assert URL in home  # a tile and a menu entry lead to it
    page = client.get(URL).content.decode()
    assert "Hôpital de la Croix-Rousse" in page
    assert "Cardiologie — Croix-Rousse" in page
    assert "Camille RIVIÈRE" in page
    assert "1 interne en stage" in page
    assert "3 places ouvertes" in page
    # Nothing of the other hospital.
    assert "Vienne" not in page
    assert "MARCHAL" not in page


@pytest.mark.parametrize("role", [Role.ARS, Role.SITE_SUPERVISOR, Role.RESIDENT])
def test_other_roles_have_no_hospital_dashboard(client, two_hospitals, role):
    here, _there = two_hospitals
    if role == Role.ARS:
        user = make_user_with_role(role, region=region())
    elif role == Role.SITE_SUPERVISOR:
        user = make_user_with_role(role, training_site=here.training_sites.first())
    else:
        user = make_resident().person.user
    login_verified(client, user)
    assert URL not in client.get("/cockpit/").content.decode()
    response = client.get(URL)
    assert response.status_code == 403
    assert "établissements" in response.content.decode()
