"""No locked doors: the menu shows an entry by the very rule its page opens by, and
the lists link only to records their reader may open (issue 19)."""

from datetime import date

import pytest
from django.utils import timezone

from domains.residents.models import SituationKind, SituationStatus
from domains.residents.services import situation_request
from tests.conftest import login_verified, page_text
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db
MY_ACCREDITATIONS = "/cockpit/mes-agrements/"
MY_PATH = "/cockpit/mon-parcours/"
NATIONAL = "/cockpit/vue-nationale-agrements/"
STATISTICS = "/cockpit/statistiques/internes/"


def _sign_in(client, user):
    login_verified(client, user)
    return client.get("/cockpit/").content.decode()


@pytest.mark.parametrize(
    ("who", "url", "refusal"),
    [
        ("superuser", MY_ACCREDITATIONS, "celui des responsables de terrain de stage"),
        ("superuser", MY_PATH, "Cette page est celle des internes."),
        ("ars", NATIONAL, "La vue nationale est celle de la DGOS et de l'UNESS."),
        ("coordinator", NATIONAL, "La vue nationale est celle de la DGOS"),
        ("resident", STATISTICS, "ne donne pas accès à cette page"),
        ("support_l1", STATISTICS, "ne donne pas accès à cette page"),
        ("support_l2", STATISTICS, "ne donne pas accès à cette page"),
    ],
)
def test_a_door_the_menu_does_not_show_is_refused_in_french(
    client, people, superuser, who, url, refusal
):
    user = superuser if who == "superuser" else people.get(who)
    home = _sign_in(client, user)
    assert f'href="{url}"' not in home
    response = client.get(url)
    assert response.status_code == 403
    assert refusal in page_text(response)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("site_supervisor", MY_ACCREDITATIONS),
        ("resident", MY_PATH),
        ("dgos", NATIONAL),
        ("dgos", STATISTICS),
        ("ars", STATISTICS),
        ("faculty_registry", STATISTICS),
    ],
)
def test_a_door_the_menu_shows_opens(client, people, who, url):
    home = _sign_in(client, people.get(who))
    assert f'href="{url}"' in home
    assert client.get(url).status_code == 200


def test_a_resident_follows_and_withdraws_her_own_request(client, people):
    resident = people.resident.person.resident
    year = timezone.localdate().year + 1
    situation = situation_request(
        resident=resident,
        kind=SituationKind.RESEARCH_YEAR,
        start_date=date(year, 11, 1),
        end_date=date(year + 1, 10, 31),
        motive="Master 2 de biologie cardiovasculaire",
        by=people.resident,
    )
    client.force_login(people.resident)
    page = client.get(f"/cockpit/situations/{situation.pk}/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Master 2 de biologie cardiovasculaire" in text
    person = resident.person
    assert f"{person.first_name} {person.last_name.upper()}" in text
    assert "Ancienneté dans la phase" in text and "Aucune autre." in text
    assert "Retirer ma demande" in text
    assert "Décider" not in text and "Donner mon avis" not in text
    client.post(f"/cockpit/situations/{situation.pk}/decision/retirer/")
    situation.refresh_from_db()
    assert situation.status == SituationStatus.WITHDRAWN

    other = make_resident(email="autre.interne@etu.univ-lyon1.fr")
    client.force_login(other.person.user)
    assert client.get(f"/cockpit/situations/{situation.pk}/").status_code == 404


def test_an_rts_opens_the_stages_on_his_site_only(client, people):
    resident = make_resident(last_name="Stagiaire")
    here = add_placement(resident, "winter", 2023, site=people.site)
    client.force_login(people.site_supervisor)
    listing = page_text(client.get("/cockpit/stages/"))
    assert f"/cockpit/stages/{here.pk}/" in listing
    response = client.get(f"/cockpit/stages/{here.pk}/")
    assert response.status_code == 200
    assert "stagiaire" in page_text(response).lower()
    client.force_login(people.site_supervisor_elsewhere)
    assert client.get(f"/cockpit/stages/{here.pk}/").status_code == 404


def test_the_hospital_reads_the_stages_on_its_sites(client, people):
    resident = make_resident(last_name="Hospitaliere")
    here = add_placement(resident, "winter", 2023, site=people.site)
    for who in ("medical_affairs", "establishment_director"):
        client.force_login(people.get(who))
        assert client.get(f"/cockpit/stages/{here.pk}/").status_code == 200
        client.force_login(people.get(who, elsewhere=True))
        assert client.get(f"/cockpit/stages/{here.pk}/").status_code == 404
