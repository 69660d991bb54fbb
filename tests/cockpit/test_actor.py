"""The guardian layer on its own: even a record a selector let through needs a
permission on its perimeter to be changed."""

import pytest

from domains.cockpit.actor import Actor
from domains.cockpit.registry import registry
from domains.people.cockpit import function_infos
from tests.factories.referential import TrainingSiteFactory

pytestmark = pytest.mark.django_db
SITES = registry.screens["terrains-de-stage"]


def actor(user) -> Actor:
    return Actor(user, function_infos(user), None)


def test_ars_changes_sites_of_her_region_only(people):
    ars = actor(people.ars)
    assert ars.can(SITES, "change", people.site)
    assert not ars.can(SITES, "change", people.site_elsewhere)


def test_site_supervisor_changes_his_site_and_only_reads_nothing_else(people):
    neighbour = TrainingSiteFactory()  # another site of Lyon
    rts = actor(people.site_supervisor)
    assert rts.can(SITES, "change", people.site)
    assert not rts.can(SITES, "change", neighbour)
    assert not rts.can(SITES, "view", neighbour)


def test_a_reading_role_sees_but_does_not_change(people):
    director = actor(people.establishment_director)
    assert director.can(SITES, "view", people.site)
    assert not director.can(SITES, "change", people.site)


def test_role_permission_is_needed_before_the_perimeter(people):
    site = people.site
    coordinator = actor(people.coordinator)
    assert coordinator.holds_object_permission("view", site.subdivision)
    assert not coordinator.can(SITES, "change", site)  # coordinators do not edit sites
