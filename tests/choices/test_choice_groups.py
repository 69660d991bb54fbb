"""Choice groups: the ARS of a region makes DES of a subdivision choose together, in
one call list per phase ordered across the DES (each place naming its DES); a DES
is in one group at most (the database refuses a second); the group's screen with the
ARS inside and the ARS of another region outside; a published list freezes the
group. The contest period: published until a date, a contest after it refused; the
resident reads why she is at her place in French."""

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from domains.choices.models import (
    ActivityLine,
    CallList,
    ChoiceGroup,
    ChoiceGroupMember,
)
from domains.choices.services import (
    activity_prefill,
    activity_validate,
    call_list_contest_file,
    call_list_publish,
    call_lists_compute,
    choice_group_save,
)
from domains.people.roles import Role
from tests.choices.test_call_lists import ranked
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified, page_text
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, specialty, subdivision
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db
LIST = "/cockpit/groupes-de-choix/"


@pytest.fixture
def world():
    semester = coming()
    lyon = subdivision("LYON")
    cardio = ranked("Camille", "Cardio", 300)  # DES-MCA (the factory's default)
    add_placement(cardio, "winter", 2026, phase_code="socle")
    psy = make_resident(
        first_name="Paul",
        last_name="Psy",
        specialty_code="DES-PSY",
        start=("winter", 2026),
    )
    type(psy).objects.filter(pk=psy.pk).update(national_rank=5)
    ped = make_resident(
        first_name="Pia",
        last_name="Pediatre",
        specialty_code="DES-PED",
        start=("winter", 2026),
    )
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=lyon)
    activity_prefill(by=registry, subdivision=lyon, semester=semester)
    activity_validate(by=registry, lines=list(ActivityLine.objects.all()))
    return {
        "semester": semester,
        "lyon": lyon,
        "ars": make_user_with_role(Role.ARS, region=region("84")),
        "cardio": cardio,
        "psy": psy,
        "ped": ped,
    }


def _compute(world):
    return call_lists_compute(
        by=world["ars"], subdivision=world["lyon"], semester=world["semester"]
    )


def test_a_group_calls_its_des_together_in_one_list(client, world):
    assert _compute(world) == 3  # one list per DES, each on its own
    group = choice_group_save(
        by=world["ars"],
        subdivision=world["lyon"],
        label="Spécialités médicales",
        specialties=[specialty("DES-MCA"), specialty("DES-PSY")],
    )
    assert _compute(world) == 2  # the group's list, and paediatrics alone
    grouped = CallList.objects.get(group=group)
    # Seniority first (Camille's validated socle stage), then the rank (Paul's 5).
    assert [e.resident_id for e in grouped.entries.all()] == [
        world["cardio"].pk,
        world["psy"].pk,
    ]
    # The DES lists of the grouped DES are gone; paediatrics keeps its own.
    assert list(
        CallList.objects.filter(group=None).values_list("specialty__code", flat=True)
    ) == ["DES-PED"]
    login_verified(client, world["ars"])
    page = client.get(grouped.get_absolute_url()).content.decode()
    # The record's fields name the group, not its number.
    assert re.search(
        r"DES ou groupe de choix</dt>\s*<dd[^>]*>\s*Spécialités médicales", page
    )
    assert "Psychiatrie" in page  # each place names its DES
    assert "1 semestre validé dans la phase" in page
    # A coordinator of one of the group's DES reads the group's list.
    coordinator = make_user_with_role(
        Role.COORDINATOR, subdivision=world["lyon"], specialty=specialty("DES-PSY")
    )
    client.logout()
    login_verified(client, coordinator)
    listing = client.get("/cockpit/listes-d-appel/").content.decode()
    assert "Spécialités médicales" in listing
    assert client.get(grouped.get_absolute_url()).status_code == 200


def test_a_des_chooses_in_one_group_at_most(world):
    group = choice_group_save(
        by=world["ars"],
        subdivision=world["lyon"],
        label="Médecine",
        specialties=[specialty("DES-MCA"), specialty("DES-PSY")],
    )
    with pytest.raises(
        ValidationError, match="choisit déjà dans le groupe « Médecine »"
    ):
        choice_group_save(
            by=world["ars"],
            subdivision=world["lyon"],
            label="Autre",
            specialties=[specialty("DES-PSY"), specialty("DES-PED")],
        )
    assert ChoiceGroup.objects.count() == 1
    with pytest.raises(ValidationError, match="au moins deux DES"):
        choice_group_save(
            by=world["ars"],
            subdivision=world["lyon"],
            label="Seule",
            specialties=[specialty("DES-PED")],
        )
    # The database itself refuses a DES in two groups of the subdivision.
    other = ChoiceGroup.objects.create(subdivision=world["lyon"], label="Brut")
    with pytest.raises(IntegrityError), transaction.atomic():
        ChoiceGroupMember.objects.create(
            group=other, subdivision=world["lyon"], specialty=specialty("DES-MCA")
        )
    assert group.members.count() == 2


def test_a_published_list_freezes_its_group(world):
    group = choice_group_save(
        by=world["ars"],
        subdivision=world["lyon"],
        label="Médecine",
        specialties=[specialty("DES-MCA"), specialty("DES-PSY")],
    )
    _compute(world)
    call_list_publish(by=world["ars"], call_list=CallList.objects.get(group=group))
    with pytest.raises(ValidationError, match="est publiée : reprenez-la"):
        choice_group_save(
            by=world["ars"],
            group=group,
            subdivision=world["lyon"],
            label="Médecine",
            specialties=[specialty("DES-MCA"), specialty("DES-PED")],
        )
    assert set(group.members.values_list("specialty__code", flat=True)) == {
        "DES-MCA",
        "DES-PSY",
    }


def test_the_group_screen_inside_and_outside_the_region(client, world):
    group = choice_group_save(
        by=world["ars"],
        subdivision=world["lyon"],
        label="Médecine",
        specialties=[specialty("DES-MCA"), specialty("DES-PSY")],
    )
    url = f"{LIST}{group.pk}/"
    outsider = make_user_with_role(Role.ARS, region=region("53"))
    login_verified(client, outsider)
    assert "Médecine" not in client.get(LIST).content.decode()
    assert client.get(url).status_code == 404
    assert client.get(f"{url}modifier/").status_code == 404
    assert client.post(f"{url}supprimer/").status_code == 404
    export = b"".join(client.get(f"{LIST}export/csv/").streaming_content).decode()
    assert "Médecine" not in export
    assert ChoiceGroup.objects.filter(pk=group.pk).exists()
    client.logout()
    login_verified(client, world["ars"])
    assert "Médecine" in client.get(LIST).content.decode()
    # The form's DES in reading order, a shared name told apart by its discipline.
    form = page_text(client.get(f"{LIST}nouveau/"))
    assert form.index("Génétique médicale") < form.index("Gynécologie médicale")
    assert "Biologie médicale (pharmacie)" in form
    assert "Biologie médicale (médecine)" in form
    assert "Psychiatrie" in client.get(url).content.decode()
    export = b"".join(client.get(f"{LIST}export/csv/").streaming_content).decode()
    assert "Médecine" in export and "Psychiatrie" in export
    psy, ped = specialty("DES-PSY"), specialty("DES-PED")
    response = client.post(
        f"{url}modifier/", {"label": "Médecine", "specialties": [psy.pk]}
    )
    assert "au moins deux DES" in response.content.decode()
    client.post(
        f"{url}modifier/",
        {"label": "Médecine et pédiatrie", "specialties": [psy.pk, ped.pk]},
    )
    group.refresh_from_db()
    assert group.label == "Médecine et pédiatrie"
    assert set(group.members.values_list("specialty__code", flat=True)) == {
        "DES-PSY",
        "DES-PED",
    }
    client.post(f"{url}supprimer/")
    assert not ChoiceGroup.objects.filter(pk=group.pk).exists()


def test_contests_close_at_the_end_of_their_period(client, world):
    _compute(world)
    call_list = CallList.objects.get(specialty__code="DES-MCA")
    with pytest.raises(ValidationError, match="ne peut pas précéder aujourd'hui"):
        call_list_publish(
            by=world["ars"],
            call_list=call_list,
            contests_until=world["semester"].start_date.replace(year=2020),
        )
    login_verified(client, world["ars"])
    client.post(
        f"{call_list.get_absolute_url()}decision/publier/",
        {"contests_until": "2026-12-15"},
    )
    call_list.refresh_from_db()
    assert call_list.status == "published"
    assert str(call_list.contests_until) == "2026-12-15"
    client.logout()
    resident_user = world["cardio"].person.user
    login_verified(client, resident_user)
    with time_machine.travel("2026-12-15 12:00 +0100", tick=False):
        page = client.get("/cockpit/mon-semestre-prochain/").content.decode()
        assert "jusqu'au 15 décembre 2026 inclus" in page
        assert "Pourquoi : 1 semestre validé dans la phase" in page
    with time_machine.travel("2026-12-16 09:00 +0100", tick=False):
        page = client.get("/cockpit/mon-semestre-prochain/").content.decode()
        assert "Contester mon rang" not in page
        with pytest.raises(ValidationError, match="s'est close le 15 décembre 2026"):
            call_list_contest_file(
                by=resident_user, call_list=call_list, text="Mon stage manque."
            )
    assert not call_list.contests.exists()
    # The ARS's list of lists says the same: open until the day, then closed.
    client.logout()
    login_verified(client, world["ars"])
    with time_machine.travel("2026-12-15 12:00 +0100", tick=False):
        listing = page_text(client.get("/cockpit/listes-d-appel/"))
        assert "Publiée — contestations jusqu'au 15 décembre 2026 inclus" in listing
    with time_machine.travel("2026-12-16 09:00 +0100", tick=False):
        listing = page_text(client.get("/cockpit/listes-d-appel/"))
        assert "Publiée — contestations closes le 15 décembre 2026" in listing
        assert "jusqu'au" not in listing
