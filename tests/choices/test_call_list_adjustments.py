"""The ARS's other hands on a draft call list, each with its reason, shown on the list
and kept in the semester activity: a resident placed hors choix leaves the list; a
resident the list did not hold (an entrant from another subdivision) joins it and is
ranked like the others; a resident of another DES, an unknown address, a published
list, or someone who is not the region's ARS are refused and nothing changes."""

import pytest

from domains.choices.models import ActivityLine, CallList
from domains.choices.services import (
    activity_validate,
    call_list_publish,
    call_lists_compute,
)
from tests.choices.test_call_lists import lists  # noqa: F401  (the fixture)
from tests.conftest import login_verified, page_text
from tests.factories.residents import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(lists):  # noqa: F811
    activity_validate(by=lists["registry"], lines=list(ActivityLine.objects.all()))
    call_lists_compute(
        by=lists["ars"], subdivision=lists["lyon"], semester=lists["semester"]
    )
    call_list = CallList.objects.get()
    return {**lists, "call_list": call_list, "url": call_list.get_absolute_url()}


def _called(call_list):
    return [e.resident.person.first_name for e in call_list.entries.all()]


def test_a_resident_placed_hors_choix_leaves_the_list(client, draft):
    url, best = draft["url"], draft["best"]
    login_verified(client, draft["registry"])  # reads the list, does not change it
    client.post(f"{url}hors-choix/", {"resident": best.pk, "reason": "Entretien."})
    assert _called(draft["call_list"]) == ["Sarah", "Basile", "Olga"]
    client.logout()
    login_verified(client, draft["ars"])
    client.post(
        f"{url}hors-choix/",
        {"resident": best.pk, "reason": "Placée par l'ARS après entretien."},
    )
    assert _called(draft["call_list"]) == ["Sarah", "Olga"]
    line = ActivityLine.objects.get(resident=best)
    assert line.kind == "out_of_choice" and line.source == "ars"
    assert "après entretien" in line.reason
    page = page_text(client.get(url))
    assert "Décisions de l'ARS sur cette liste" in page
    assert "Hors choix, décidé par l'ARS : Placée par l'ARS après entretien." in page
    assert line.history.first().history_user == draft["ars"]


def test_an_entrant_joins_the_list_and_is_ranked(client, draft):
    url = draft["url"]
    entrant = make_resident(
        first_name="Elsa",
        last_name="Entrante",
        subdivision_code="GRENOBLE",
        start=("winter", 2026),
        email="elsa.entrante@etu.exemple.fr",
    )
    other_des = make_resident(
        first_name="Pia",
        last_name="Psy",
        subdivision_code="GRENOBLE",
        specialty_code="DES-PSY",
        email="pia.psy@etu.exemple.fr",
    )
    login_verified(client, draft["ars"])
    refused = client.post(
        f"{url}ajouter/",
        {"email": "pia.psy@etu.exemple.fr", "reason": "InterCHU."},
        follow=True,
    ).content.decode()
    assert "est inscrite dans un autre DES que celui de cette liste" in refused
    refused = client.post(
        f"{url}ajouter/",
        {"email": "personne@exemple.fr", "reason": "InterCHU."},
        follow=True,
    ).content.decode()
    assert "Aucune interne en cours de DES n&#x27;a cette adresse" in refused
    assert not ActivityLine.objects.filter(resident=other_des).exists()
    client.post(
        f"{url}ajouter/",
        {
            "email": "Elsa.Entrante@etu.exemple.fr",
            "reason": "InterCHU accordé par l'ARS d'origine le 2 novembre.",
        },
    )
    assert "Elsa" in _called(draft["call_list"])
    assert len(_called(draft["call_list"])) == 4
    line = ActivityLine.objects.get(resident=entrant, subdivision=draft["lyon"])
    assert line.kind == "inter_chu_in" and line.status == "validated"
    assert "InterCHU accordé" in client.get(url).content.decode()


def test_a_published_list_takes_neither(client, draft):
    call_list = call_list_publish(by=draft["ars"], call_list=draft["call_list"])
    login_verified(client, draft["ars"])
    page = client.post(
        f"{draft['url']}hors-choix/",
        {"resident": draft["best"].pk, "reason": "Trop tard."},
        follow=True,
    ).content.decode()
    assert "La liste est publiée : elle ne se modifie plus." in page
    assert len(_called(call_list)) == 3
    assert ActivityLine.objects.get(resident=draft["best"]).kind == "chooses"
