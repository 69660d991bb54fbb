"""Ouverture des postes: the 107 % rule per DES and phase from the semester activity
and the posts opened, mixed posts in each DES, a coupled pair once; each person sees
her perimeter; the resident has no such door."""

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
URL = "/cockpit/ouverture-des-postes/"


def _post(semester, site, code="DES-MCA", seats=1, **fields):
    return Post.objects.create(
        semester=semester,
        training_site=site,
        specialty=specialty(code),
        phase=phase("socle"),
        seats=seats,
        **fields,
    )


@pytest.fixture
def opening():
    semester = coming()
    residents = [make_resident(start=("winter", 2026)) for _ in range(3)]
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision())
    activity_prefill(by=registry, subdivision=subdivision(), semester=semester)
    site = accredited_site()
    _post(semester, site, seats=2)
    mixed = _post(semester, accredited_site(), seats=1)
    mixed.shared_specialties.add(specialty("DES-MGE"))
    return semester, residents, registry


def test_the_rule_is_red_with_the_posts_missing_then_green(client, opening):
    semester, _residents, _registry = opening
    login_verified(client, make_user_with_role(Role.ARS, region=region()))
    page = client.get(URL).content.decode()
    # 3 residents choose in cardiology socle: ceil(3.21) = 4 posts; 3 opened
    # (2, and the mixed one counted in cardiology too).
    assert "1 poste manquant" in page
    assert "1 DES et phase sous la règle." in page
    # A coupled pair (one choice, a seat on each of two sites) counts once.
    first = _post(semester, accredited_site())
    second = _post(semester, accredited_site())
    first.coupled_with = second
    first.save()
    page = client.get(URL).content.decode()
    assert "La règle est respectée pour chaque DES et phase." in page


def test_the_page_stays_in_the_perimeter(client, opening):
    login_verified(
        client,
        make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision("GRENOBLE")),
    )
    page = client.get(URL).content.decode()
    assert "Médecine cardiovasculaire" not in page
    assert "Ni internes qui choisissent ni postes ouverts" in page


def test_a_resident_has_no_opening_door(client, opening):
    _semester, residents, _registry = opening
    login_verified(client, residents[0].person.user)
    assert URL not in client.get("/cockpit/").content.decode()
    assert client.get(URL).status_code == 403
