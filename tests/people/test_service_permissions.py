"""The one question every write service asks: may this person act on this record?"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from domains.people.permissions import SYSTEM, may, require
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, specialty, subdivision

pytestmark = pytest.mark.django_db
CHANGE_SITE = "referential.change_trainingsite"


def test_an_ars_agent_acts_in_her_region_and_nowhere_else(people):
    agent = people.ars
    assert may(agent, CHANGE_SITE, [subdivision("LYON"), region("84")])
    assert not may(agent, CHANGE_SITE, [subdivision("RENNES"), region("53")])


def test_a_role_without_the_permission_is_refused_even_inside_its_perimeter(people):
    coordinator = people.coordinator
    assert not may(coordinator, CHANGE_SITE, [subdivision("LYON"), specialty()])


def test_a_coordinator_reaches_her_specialty_in_her_subdivision_only(people):
    coordinator = people.coordinator
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
    person_user = make_user_with_role(Role.ARS, region=region("84"))  # two functions
    function_grant(
        person=person_user.person,
        role=Role.SITE_ASSISTANT,
        training_site=site,
        start_date=date(2024, 9, 1),
        by=SYSTEM,
    )
    perimeter = [site.subdivision, region("53"), site.establishment, site]
    assert not may(person_user, CHANGE_SITE, perimeter)


def test_require_refuses_with_a_french_sentence_and_nobody_is_nobody():
    with pytest.raises(PermissionDenied, match="Votre fonction ne vous permet pas"):
        require(None, CHANGE_SITE, [region("84")])


# The people services ask it themselves --------------------------------------------
START = date(2024, 9, 1)


def _registry(code: str):
    return make_user_with_role(Role.FACULTY_REGISTRY, subdivision=subdivision(code))


def _lyon_site():
    from tests.factories.referential import EstablishmentFactory, TrainingSiteFactory

    return TrainingSiteFactory(
        subdivision=subdivision("LYON"),
        establishment=EstablishmentFactory(region=region("84")),
    )


def test_a_faculty_registry_grants_in_its_subdivision_and_not_in_another():
    from domains.people.models import Function
    from domains.people.services import function_grant
    from tests.factories.people import make_person

    site, person = _lyon_site(), make_person()
    with pytest.raises(PermissionDenied, match="attribuer le rôle"):
        function_grant(
            person=person,
            role=Role.SITE_SUPERVISOR,
            start_date=START,
            training_site=site,
            by=_registry("RENNES"),
        )
    assert not Function.objects.filter(person=person).exists()
    function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=START,
        training_site=site,
        by=_registry("LYON"),
    )
    assert person.functions.get().training_site == site


def test_a_faculty_registry_ends_a_function_of_its_subdivision_only():
    from domains.people.services import function_end

    site = _lyon_site()
    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
    function = supervisor.person.functions.get()
    with pytest.raises(PermissionDenied):
        function_end(function=function, by=_registry("RENNES"))
    function.refresh_from_db()
    assert function.end_date is None
    function_end(function=function, end_date=date(2025, 1, 1), by=_registry("LYON"))
    function.refresh_from_db()
    assert function.end_date == date(2025, 1, 1)


def test_a_registry_gives_no_region_role_and_a_supervisor_only_his_sites_roles():
    from domains.people.services import function_grant
    from tests.factories.people import make_person

    person, site = make_person(), _lyon_site()
    with pytest.raises(PermissionDenied):
        function_grant(
            person=person,
            role=Role.ARS,
            start_date=START,
            region=region("84"),
            by=_registry("LYON"),
        )
    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
    with pytest.raises(PermissionDenied):
        function_grant(
            person=person, role=Role.RESIDENT, start_date=START, by=supervisor
        )
    function_grant(
        person=person,
        role=Role.PRACTITIONER,
        start_date=START,
        training_site=site,
        by=supervisor,
    )


def test_a_person_changes_herself_and_a_stranger_does_not():
    from domains.people.services import person_update
    from tests.factories.people import make_person

    person, stranger = make_person(first_name="Inès"), make_person()
    with pytest.raises(PermissionDenied, match="modifier"):
        person_update(person=person, first_name="Autre", by=stranger.user)
    person_update(person=person, first_name="Inès-Marie", by=person.user)
    person.refresh_from_db()
    assert person.first_name == "Inès-Marie"


def test_an_ars_changes_the_people_working_in_her_region_only(people):
    from domains.people.services import person_update

    site = _lyon_site()
    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
    brittany = people.ars_elsewhere
    with pytest.raises(PermissionDenied):
        person_update(person=supervisor.person, phone="0600000000", by=brittany)
    rhone_alpes = people.ars
    person_update(person=supervisor.person, phone="0600000000", by=rhone_alpes)
    supervisor.person.refresh_from_db()
    assert supervisor.person.phone == "0600000000"


def test_her_addresses_are_hers_to_add_choose_and_remove():
    from domains.people.models import EmailAddress
    from domains.people.services import (
        email_add,
        email_remove,
        email_request_verification,
        email_set_primary,
    )
    from tests.factories.people import make_person

    person, stranger = make_person(), make_person()
    with pytest.raises(PermissionDenied):
        email_add(person=person, email="intrus@exemple.fr", by=stranger.user)
    assert not EmailAddress.objects.filter(email="intrus@exemple.fr").exists()
    address = email_add(
        person=person, email="seconde@exemple.fr", verified=True, by=person.user
    )
    for write in (
        lambda: email_set_primary(address=address, by=stranger.user),
        lambda: email_request_verification(address=address, by=stranger.user),
        lambda: email_remove(address=address, by=stranger.user),
    ):
        with pytest.raises(PermissionDenied):
            write()
    email_set_primary(address=address, by=person.user)
    person.refresh_from_db()
    assert person.primary_email == "seconde@exemple.fr"


def test_the_site_supervisor_keeps_the_contact_details_of_his_sites_people():
    from domains.people.services import person_contact_update

    site, other = _lyon_site(), _lyon_site()
    practitioner = make_user_with_role(Role.PRACTITIONER, training_site=site)
    elsewhere = make_user_with_role(Role.SITE_SUPERVISOR, training_site=other)
    with pytest.raises(PermissionDenied, match="coordonnées"):
        person_contact_update(
            person=practitioner.person,
            email="msu@chu-lyon.fr",
            phone="0400000000",
            by=elsewhere,
        )
    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=site)
    person_contact_update(
        person=practitioner.person,
        email="msu@chu-lyon.fr",
        phone="0400000000",
        by=supervisor,
    )
    assert practitioner.person.primary_email == "msu@chu-lyon.fr"


def test_only_who_registers_people_creates_one():
    from domains.people.models import Person
    from domains.people.services import person_create

    supervisor = make_user_with_role(Role.SITE_SUPERVISOR, training_site=_lyon_site())
    fields = dict(
        civility="MME", first_name="Nina", last_name="Roux", email="nina@exemple.fr"
    )
    with pytest.raises(PermissionDenied):
        person_create(**fields, by=supervisor)
    assert not Person.objects.filter(last_name="Roux").exists()
    person_create(**fields, by=_registry("LYON"))
    assert Person.objects.filter(last_name="Roux").exists()


def test_merging_needs_the_right_on_both_people_being_one_is_not_enough(people):
    from domains.people.models import Person
    from domains.people.services import person_merge

    site = _lyon_site()
    kept = make_user_with_role(Role.PRACTITIONER, training_site=site)
    merged = make_user_with_role(Role.PRACTITIONER, training_site=site)
    brittany = people.ars_elsewhere
    for by in (brittany, kept):
        with pytest.raises(PermissionDenied):
            person_merge(kept=kept.person, merged=merged.person, by=by)
    assert Person.objects.filter(pk=merged.person.pk).exists()
    person_merge(
        kept=kept.person,
        merged=merged.person,
        by=people.ars,
    )
    assert not Person.objects.filter(pk=merged.person.pk).exists()


def test_legacy_identifiers_and_recovered_functions_ask_too(people):
    from domains.people.models import Function, LegacySystem
    from domains.people.services import functions_import, legacy_identifier_add

    site = _lyon_site()
    practitioner = make_user_with_role(Role.PRACTITIONER, training_site=site)
    brittany = people.ars_elsewhere
    with pytest.raises(PermissionDenied):
        legacy_identifier_add(
            person=practitioner.person,
            system=LegacySystem.SIDES_NG,
            value="SID-1",
            by=brittany,
        )
    new = Function(
        person=practitioner.person,
        role=Role.SITE_ASSISTANT,
        training_site=site,
        start_date=START,
    )
    with pytest.raises(PermissionDenied):
        functions_import(functions=[new], by=_registry("RENNES"))
    assert functions_import(functions=[new], by=_registry("LYON")) == 1


def test_the_daily_resynchronisation_is_the_platforms(people):
    from domains.people.services import permissions_sync_all

    with pytest.raises(PermissionDenied):
        permissions_sync_all(by=people.ars)
    assert permissions_sync_all(by=SYSTEM) >= 1


def test_the_platform_writes_with_no_author_in_the_history():
    from tests.factories.people import make_person

    person = make_person(by=SYSTEM)
    assert person.history.get().history_user is None
    assert str(SYSTEM) == "la plateforme SIIMOP"
