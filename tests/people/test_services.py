from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from domains.people.models import EmailAddress, Function, Person
from domains.people.permissions import SYSTEM
from domains.people.roles import Role, role_group_name
from domains.people.services import (
    email_add,
    email_set_primary,
    function_end,
    function_grant,
    permissions_sync_all,
    permissions_sync_many,
    person_create,
)
from tests.factories.people import make_person
from tests.factories.referential import (
    EstablishmentFactory,
    TrainingSiteFactory,
    region,
    subdivision,
)

pytestmark = pytest.mark.django_db
START = date(2024, 9, 1)


def test_person_is_created_with_an_account_and_a_primary_address():
    person = person_create(
        civility="MME",
        first_name="Camille",
        last_name="Bertrand",
        email="  Camille.Bertrand@CHU-Lyon.fr ",
        imotep_id="IMO-1234",
        by=SYSTEM,
    )
    assert person.user.username == "camille.bertrand@chu-lyon.fr"
    assert person.primary_email == "camille.bertrand@chu-lyon.fr"
    assert not person.user.has_usable_password()
    assert person.history.count() == 1


def test_an_address_belongs_to_one_person_whatever_its_case():
    make_person(email="claire.dumont@ars.sante.fr")
    with pytest.raises(ValidationError) as error:
        person_create(
            civility="MME",
            first_name="Claire",
            last_name="Dumont",
            email="Claire.Dumont@ARS.sante.fr",
            by=SYSTEM,
        )
    assert "appartient déjà" in error.value.message_dict["email"][0]
    assert Person.objects.count() == 1


def test_a_person_can_have_several_addresses_and_change_the_primary_one():
    person = make_person(email="a@exemple.fr")
    second = email_add(person=person, email="b@exemple.fr", verified=True, by=SYSTEM)
    email_set_primary(address=second, by=SYSTEM)
    person.refresh_from_db()
    assert person.primary_email == "b@exemple.fr"
    assert person.user.email == "b@exemple.fr"
    assert EmailAddress.objects.filter(person=person, is_primary=True).count() == 1


def test_the_database_refuses_two_primary_addresses():
    person = make_person()
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(
            person=person, email="x@exemple.fr", is_primary=True
        )


@pytest.mark.parametrize(
    ("role", "perimeter", "field", "message"),
    [
        (Role.ARS, {}, "region", "exige un périmètre"),
        (Role.SITE_SUPERVISOR, {}, "training_site", "exige un périmètre"),
        (Role.DGOS, {"region": "84"}, "region", "ne prend pas de"),
    ],
)
def test_function_with_the_wrong_perimeter_is_refused_naming_the_field(
    role, perimeter, field, message
):
    person = make_person()
    if "region" in perimeter:
        perimeter = {"region": region(perimeter["region"])}
    with pytest.raises(ValidationError) as error:
        function_grant(
            person=person, role=role, start_date=START, by=SYSTEM, **perimeter
        )
    assert message in error.value.message_dict[field][0]
    assert not Function.objects.exists()


def test_coordinator_needs_both_subdivision_and_specialty():
    person = make_person()
    with pytest.raises(ValidationError) as error:
        function_grant(
            person=person,
            role=Role.COORDINATOR,
            start_date=START,
            subdivision=subdivision(),
            by=SYSTEM,
        )
    assert "spécialité" in error.value.message_dict["specialty"][0]


def test_function_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        function_grant(
            person=make_person(),
            role=Role.DGOS,
            start_date=date(2026, 1, 1),
            end_date=date(2025, 1, 1),
            by=SYSTEM,
        )
    assert "01/01/2025" in error.value.message_dict["end_date"][0]


def test_the_database_refuses_a_perimeter_that_does_not_match_the_role():
    person = make_person()
    with pytest.raises(IntegrityError), transaction.atomic():
        Function.objects.create(person=person, role=Role.ARS, start_date=START)


def test_granting_a_function_puts_permissions_on_the_perimeter_only():
    lyon, grenoble = subdivision("LYON"), subdivision("GRENOBLE")
    person = make_person()
    function_grant(
        person=person,
        role=Role.FACULTY_REGISTRY,
        start_date=START,
        subdivision=lyon,
        by=SYSTEM,
    )
    user = person.user
    assert user.has_perm("referential.view_subdivision", lyon)
    assert not user.has_perm("referential.view_subdivision", grenoble)
    assert user.groups.filter(name=role_group_name(Role.FACULTY_REGISTRY)).exists()
    assert user.has_perm("referential.view_trainingsite")


def test_ending_a_function_takes_its_permissions_back():
    site = TrainingSiteFactory()
    person = make_person()
    function = function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=START,
        training_site=site,
        by=SYSTEM,
    )
    assert person.user.has_perm("referential.change_trainingsite", site)
    yesterday = timezone.localdate() - timedelta(days=1)
    function_end(function=function, end_date=yesterday, by=SYSTEM)
    user = type(person.user).objects.get(pk=person.user.pk)  # fresh permission cache
    assert not user.has_perm("referential.change_trainingsite", site)
    assert not get_objects_for_user(user, "referential.view_trainingsite").exists()
    assert not user.groups.exists()
    assert function.history.first().end_date == yesterday


def test_ending_one_of_two_functions_on_a_perimeter_keeps_what_the_other_grants():
    site = TrainingSiteFactory()
    person = make_person()
    supervisor = function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=START,
        training_site=site,
        by=SYSTEM,
    )
    function_grant(
        person=person,
        role=Role.SITE_ASSISTANT,
        start_date=START,
        training_site=site,
        by=SYSTEM,
    )
    function_end(
        function=supervisor,
        end_date=timezone.localdate() - timedelta(days=1),
        by=SYSTEM,
    )
    user = type(person.user).objects.get(pk=person.user.pk)
    assert user.has_perm("referential.view_trainingsite", site)
    assert not user.has_perm("referential.change_trainingsite", site)


def test_a_function_starting_later_grants_nothing_until_the_daily_sync_on_its_day():
    person = make_person()
    tomorrow = timezone.localdate() + timedelta(days=1)
    function_grant(
        person=person,
        role=Role.ARS,
        start_date=tomorrow,
        region=region("84"),
        by=SYSTEM,
    )
    assert not person.user.has_perm("referential.view_region", region("84"))
    permissions_sync_many(user_ids=[person.user.pk], day=tomorrow)
    user = type(person.user).objects.get(pk=person.user.pk)
    assert user.has_perm("referential.view_region", region("84"))


def test_daily_sync_revokes_functions_that_ended(time_machine):
    paris = ZoneInfo("Europe/Paris")
    time_machine.move_to(datetime(2026, 6, 30, 17, tzinfo=paris), tick=False)
    person = make_person()
    function_grant(
        person=person,
        role=Role.ARS,
        start_date=START,
        end_date=date(2026, 6, 30),
        region=region("84"),
        by=SYSTEM,
    )
    assert person.user.has_perm("referential.view_region", region("84"))
    time_machine.move_to(datetime(2026, 7, 1, 0, 30, tzinfo=paris), tick=False)
    assert permissions_sync_all(by=SYSTEM) == 1
    user = type(person.user).objects.get(pk=person.user.pk)
    assert not user.has_perm("referential.view_region", region("84"))


def test_function_end_before_start_is_refused():
    person = make_person()
    function = function_grant(
        person=person, role=Role.DGOS, start_date=date(2026, 1, 1), by=SYSTEM
    )
    with pytest.raises(ValidationError):
        function_end(function=function, end_date=date(2025, 12, 31), by=SYSTEM)


def test_establishment_and_self_perimeters_get_object_permissions():
    establishment = EstablishmentFactory()
    dam = make_person()
    function_grant(
        person=dam,
        role=Role.MEDICAL_AFFAIRS,
        start_date=START,
        establishment=establishment,
        by=SYSTEM,
    )
    assert dam.user.has_perm("referential.change_establishment", establishment)
    resident = make_person()
    function_grant(person=resident, role=Role.RESIDENT, start_date=START, by=SYSTEM)
    assert resident.user.has_perm("people.change_person", resident)
    assert not resident.user.has_perm("people.change_person", dam)


def test_role_groups_carry_model_permissions_from_the_roles_table():
    user = make_person().user
    function_grant(
        person=user.person,
        role=Role.ARS,
        start_date=START,
        region=region("84"),
        by=SYSTEM,
    )
    assert user.has_perm("referential.add_post")
    assert not user.has_perm("referential.delete_establishment")


def test_an_ars_agent_may_not_grant_a_national_role_nor_outside_her_region():
    ars = make_person()
    function_grant(
        person=ars, role=Role.ARS, start_date=START, region=region("84"), by=SYSTEM
    )
    person = make_person()
    with pytest.raises(PermissionDenied) as error:
        function_grant(person=person, role=Role.DGOS, start_date=START, by=ars.user)
    assert "ne vous permet pas d'attribuer le rôle « DGOS (ministère) »" in str(
        error.value
    )
    with pytest.raises(PermissionDenied):
        function_grant(
            person=person,
            role=Role.FACULTY_REGISTRY,
            start_date=START,
            subdivision=subdivision("RENNES"),
            by=ars.user,
        )
    function_grant(
        person=person,
        role=Role.FACULTY_REGISTRY,
        start_date=START,
        subdivision=subdivision("LYON"),
        by=ars.user,
    )
    assert person.functions.count() == 1


def test_a_site_supervisor_grants_site_roles_on_his_site_only():
    site, other = TrainingSiteFactory(), TrainingSiteFactory()
    rts = make_person()
    function_grant(
        person=rts,
        role=Role.SITE_SUPERVISOR,
        start_date=START,
        training_site=site,
        by=SYSTEM,
    )
    helper = make_person()
    function_grant(
        person=helper,
        role=Role.SITE_ASSISTANT,
        start_date=START,
        training_site=site,
        by=rts.user,
    )
    with pytest.raises(PermissionDenied):
        function_grant(
            person=helper,
            role=Role.SITE_ASSISTANT,
            start_date=START,
            training_site=other,
            by=rts.user,
        )
    with pytest.raises(PermissionDenied):
        function_grant(
            person=helper,
            role=Role.ARS,
            start_date=START,
            region=region("84"),
            by=rts.user,
        )
