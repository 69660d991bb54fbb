"""Call lists: established by the ARS from the validated semester activity
(seniority in the phase, then the comparable national ranking), a rank fixed by
hand kept with its reason, published; each resident reads her own place; the other
region's ARS reaches none of it; the registry reads but does not establish."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from domains.choices.models import ActivityLine, CallList, CallListEntry
from domains.choices.services import (
    activity_prefill,
    activity_validate,
    call_list_adjust,
    call_list_publish,
    call_lists_compute,
)
from domains.people.roles import Role
from domains.residents.models import Resident
from tests.choices.test_semester_activity import coming
from tests.conftest import login_verified
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, subdivision
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db


def ranked(first_name, last_name, rank):
    resident = make_resident(
        first_name=first_name, last_name=last_name, start=("winter", 2026)
    )
    Resident.objects.filter(pk=resident.pk).update(national_rank=rank)
    resident.national_rank = rank
    return resident


@pytest.fixture
def lists():
    semester = coming()
    lyon = subdivision("LYON")
    # Same cohort, socle: the one with a validated stage comes first, then by rank.
    senior = ranked("Sarah", "Senior", 900)
    add_placement(senior, "winter", 2026, phase_code="socle")
    best = ranked("Basile", "Best", 10)
    other = ranked("Olga", "Other", 500)
    registry = make_user_with_role(Role.FACULTY_REGISTRY, subdivision=lyon)
    activity_prefill(by=registry, subdivision=lyon, semester=semester)
    ars = make_user_with_role(Role.ARS, region=region("84"))
    return {
        "semester": semester,
        "lyon": lyon,
        "registry": registry,
        "ars": ars,
        "senior": senior,
        "best": best,
        "other": other,
    }


def _names(call_list):
    return [
        e.resident.person.first_name
        for e in call_list.entries.select_related("resident__person")
    ]


def test_lines_not_validated_block_the_lists_with_a_clear_refusal(lists):
    with pytest.raises(ValidationError, match="3 lignes de l'activité semestrielle"):
        call_lists_compute(
            by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
        )


def test_seniority_then_rank_then_an_adjustment_kept_then_published(lists):
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    assert (
        call_lists_compute(
            by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
        )
        == 1
    )
    call_list = CallList.objects.get()
    assert _names(call_list) == ["Sarah", "Basile", "Olga"]
    first = call_list.entries.get(position=1)
    assert first.seniority == 1 and first.why.startswith("ancienneté 1, rang ")
    call_list_adjust(
        by=lists["ars"],
        call_list=call_list,
        resident_id=lists["other"].pk,
        position=1,
        reason="Retour d'interCHU : rang rétabli.",
    )
    assert _names(call_list) == ["Olga", "Sarah", "Basile"]
    # Recomputing keeps the hand-fixed rank and its reason.
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    assert _names(call_list) == ["Olga", "Sarah", "Basile"]
    assert "Retour d'interCHU" in call_list.entries.get(position=1).why
    call_list_publish(by=lists["ars"], call_list=call_list)
    with pytest.raises(ValidationError, match="publiée"):
        call_list_adjust(
            by=lists["ars"],
            call_list=call_list,
            resident_id=lists["best"].pk,
            position=1,
            reason="Trop tard.",
        )


def test_who_establishes_and_who_reads(client, lists):
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    with pytest.raises(PermissionDenied, match="ARS de la région"):
        call_lists_compute(
            by=lists["registry"], subdivision=lists["lyon"], semester=lists["semester"]
        )
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    call_list = CallList.objects.get()
    url = f"/cockpit/listes-d-appel/{call_list.pk}/"
    login_verified(client, lists["registry"])
    page = client.get(url).content.decode()
    assert "Sarah SENIOR" in page and "Fixer un rang" not in page
    client.logout()
    login_verified(client, make_user_with_role(Role.ARS, region=region("53")))
    assert client.get(url).status_code == 404
    assert "SENIOR" not in client.get("/cockpit/listes-d-appel/").content.decode()
    client.logout()
    login_verified(client, lists["ars"])
    page = client.get(url).content.decode()
    assert "Fixer un rang" in page
    client.post(
        f"{url}ajuster/",
        {
            "resident": lists["best"].pk,
            "position": 1,
            "reason": "Situation de handicap.",
        },
    )
    assert _names(call_list) == ["Basile", "Sarah", "Olga"]
    client.post(f"{url}decision/publier/")
    call_list.refresh_from_db()
    assert call_list.status == "published"


def test_a_resident_reads_her_place_once_published(client, lists):
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    login_verified(client, lists["best"].person.user)
    page = client.get("/cockpit/mon-semestre-prochain/").content.decode()
    assert "Rang d'appel" not in page  # not published yet
    call_list_publish(by=lists["ars"], call_list=CallList.objects.get())
    page = client.get("/cockpit/mon-semestre-prochain/").content.decode()
    assert "Rang d'appel : 2 sur 3" in page
    assert CallListEntry.objects.count() == 3
    assert client.get("/cockpit/listes-d-appel/").status_code == 403
