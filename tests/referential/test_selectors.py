"""Each perimeter sees its own records and nothing outside it."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from domains.people.roles import Role
from domains.referential.models import EstablishmentKind
from domains.referential.selectors import (
    visible_accreditations,
    visible_establishments,
    visible_posts,
    visible_training_sites,
)
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    AccreditationFactory,
    EstablishmentFactory,
    PostFactory,
    TrainingSiteFactory,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A Lyon CHU with a cardiology and a nephrology site, and a site in Rennes."""
    chu = EstablishmentFactory(
        name="HCL", kind=EstablishmentKind.LEGAL_ENTITY, region=region("84")
    )
    lyon_site_establishment = EstablishmentFactory(
        name="Hôpital Édouard-Herriot", parent=chu, region=region("84")
    )
    cardio = TrainingSiteFactory(
        name="Cardio Lyon",
        establishment=lyon_site_establishment,
        subdivision=subdivision("LYON"),
    )
    nephro = TrainingSiteFactory(
        name="Néphro Lyon",
        establishment=lyon_site_establishment,
        subdivision=subdivision("LYON"),
    )
    rennes_establishment = EstablishmentFactory(name="CHU Rennes", region=region("53"))
    rennes = TrainingSiteFactory(
        name="Cardio Rennes",
        establishment=rennes_establishment,
        subdivision=subdivision("RENNES"),
    )
    accreditations = {
        "cardio": AccreditationFactory(
            training_site=cardio, specialty=specialty("DES-MCA")
        ),
        "nephro": AccreditationFactory(
            training_site=nephro, specialty=specialty("DES-NEP")
        ),
        "rennes": AccreditationFactory(
            training_site=rennes, specialty=specialty("DES-MCA")
        ),
    }
    posts = {
        name: PostFactory(training_site=a.training_site, specialty=a.specialty)
        for name, a in accreditations.items()
    }
    return {
        "chu": chu,
        "lyon_establishment": lyon_site_establishment,
        "rennes_establishment": rennes_establishment,
        "cardio": cardio,
        "nephro": nephro,
        "rennes": rennes,
        "accreditations": accreditations,
        "posts": posts,
    }


def names(queryset):
    return sorted(
        str(getattr(o, "name", None) or o.training_site.name) for o in queryset
    )


def test_national_role_sees_everything(world, dgos):
    assert names(visible_training_sites(dgos)) == [
        "Cardio Lyon",
        "Cardio Rennes",
        "Néphro Lyon",
    ]
    assert visible_posts(dgos).count() == 3


def test_ars_sees_its_region_and_not_the_others(world, people):
    ars = people.ars
    assert names(visible_training_sites(ars)) == ["Cardio Lyon", "Néphro Lyon"]
    assert names(visible_establishments(ars)) == ["HCL", "Hôpital Édouard-Herriot"]
    assert world["accreditations"]["rennes"] not in visible_accreditations(ars)
    assert world["posts"]["rennes"] not in visible_posts(ars)


def test_subdivision_roles_see_the_sites_of_their_subdivision(
    world, faculty_registry_elsewhere
):
    registry = faculty_registry_elsewhere  # Rennes
    assert names(visible_training_sites(registry)) == ["Cardio Rennes"]
    assert names(visible_establishments(registry)) == ["CHU Rennes"]


def test_coordinator_sees_only_his_specialty_in_his_subdivision(world, coordinator):
    assert names(visible_training_sites(coordinator)) == ["Cardio Lyon"]
    assert list(visible_accreditations(coordinator)) == [
        world["accreditations"]["cardio"]
    ]
    assert list(visible_posts(coordinator)) == [world["posts"]["cardio"]]


# The establishment and site roles work in the world's own hospitals (the samples'
# site would be one site more in the lists).
def test_establishment_roles_see_their_establishment_and_its_geographic_sites(world):
    dam = make_user_with_role(Role.MEDICAL_AFFAIRS, establishment=world["chu"])
    assert names(visible_establishments(dam)) == ["HCL", "Hôpital Édouard-Herriot"]
    director = make_user_with_role(
        Role.ESTABLISHMENT_DIRECTOR, establishment=world["lyon_establishment"]
    )
    assert names(visible_training_sites(director)) == ["Cardio Lyon", "Néphro Lyon"]
    assert names(visible_establishments(director)) == ["Hôpital Édouard-Herriot"]


def test_site_supervisor_sees_his_own_site_only(world):
    rts = make_user_with_role(Role.SITE_SUPERVISOR, training_site=world["nephro"])
    assert names(visible_training_sites(rts)) == ["Néphro Lyon"]
    assert list(visible_accreditations(rts)) == [world["accreditations"]["nephro"]]
    assert list(visible_posts(rts)) == [world["posts"]["nephro"]]


def test_a_resident_sees_none_of_the_referential_in_the_cockpit(world, resident):
    assert not visible_training_sites(resident).exists()
    assert not visible_posts(resident).exists()
    assert not visible_accreditations(resident).exists()
    assert not visible_establishments(resident).exists()


def test_someone_without_function_or_signed_out_sees_nothing(world):
    from tests.factories.people import make_person

    nobody = make_person().user
    for user in (nobody, AnonymousUser()):
        assert not visible_training_sites(user).exists()
        assert not visible_posts(user).exists()


def test_an_ended_function_no_longer_opens_its_perimeter(world, people):
    ars = people.ars
    function = ars.person.functions.get()
    function.end_date = date(2025, 1, 1)
    function.save()
    assert not visible_training_sites(ars).exists()
