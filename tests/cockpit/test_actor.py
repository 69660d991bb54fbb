"""The guardian layer on its own: even a record a selector let through needs a
permission on its perimeter to be changed."""

import pytest

from domains.cockpit.actor import Actor
from domains.cockpit.registry import registry
from domains.people.cockpit import function_infos
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    region,
    specialty,
    subdivision,
)

pytestmark = pytest.mark.django_db
SITES = registry.screens["terrains-de-stage"]


def actor(user) -> Actor:
    return Actor(user, function_infos(user), None)


def test_ars_changes_sites_of_her_region_only():
    lyon = TrainingSiteFactory()
    rennes = TrainingSiteFactory(
        subdivision=subdivision("RENNES"),
        establishment=EstablishmentFactory(region=region("53")),
    )
    ars = actor(make_user_with_role(Role.ARS, region=region("84")))
    assert ars.can(SITES, "change", lyon)
    assert not ars.can(SITES, "change", rennes)


def test_site_supervisor_changes_his_site_and_only_reads_nothing_else():
    site, neighbour = TrainingSiteFactory(), TrainingSiteFactory()
    rts = actor(make_user_with_role(Role.SITE_SUPERVISOR, training_site=site))
    assert rts.can(SITES, "change", site)
    assert not rts.can(SITES, "change", neighbour)
    assert not rts.can(SITES, "view", neighbour)


def test_a_reading_role_sees_but_does_not_change():
    site = TrainingSiteFactory()
    director = actor(
        make_user_with_role(
            Role.ESTABLISHMENT_DIRECTOR, establishment=site.establishment
        )
    )
    assert director.can(SITES, "view", site)
    assert not director.can(SITES, "change", site)


def test_role_permission_is_needed_before_the_perimeter():
    site = TrainingSiteFactory()
    coordinator = actor(
        make_user_with_role(
            Role.COORDINATOR,
            subdivision=subdivision("LYON"),
            specialty=specialty(),
        )
    )
    assert coordinator.holds_object_permission("view", site.subdivision)
    assert not coordinator.can(SITES, "change", site)  # coordinators do not edit sites
