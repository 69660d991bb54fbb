"""Built French sentences read as French: elision, a role as a common noun, the
singular of 0 and 1, « e-mail »."""

import re
from datetime import date

import pytest
from django.urls import reverse

from domains.cockpit.wording import elides, is_singular, role_noun
from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_grant
from tests.conftest import page_text
from tests.factories.people import make_person
from tests.factories.referential import (
    TrainingSiteFactory,
    region,
    specialty,
    subdivision,
)


def _words(response) -> str:
    """The page's text without its tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page_text(response)))


def test_a_role_becomes_a_common_noun_but_an_acronym_stays():
    assert role_noun("Interne") == "interne"
    assert role_noun("Agent ARS — Auvergne-Rhône-Alpes") == (
        "agent ARS — Auvergne-Rhône-Alpes"
    )
    assert role_noun("DGOS (ministère) — National") == "DGOS (ministère) — National"
    assert elides("interne") and elides("établissement") and not elides("coordonnateur")
    assert [is_singular(n) for n in (0, 1, 2, 10)] == [True, True, False, False]


@pytest.mark.django_db
def test_the_resident_works_as_an_interne_with_the_elision(client, people):
    client.force_login(people.resident)
    text = _words(client.get(reverse("cockpit:home")))
    assert "Vous travaillez en tant qu'interne." in text
    assert "en tant que Interne" not in text and "en tant que interne" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, said",
    [
        ("faculty_registry", "en tant qu'agent de scolarité de faculté — "),
        ("support_l1", "en tant qu'agent de support (niveau 1) — "),
    ],
)
def test_a_service_role_reads_as_the_person_holding_it(client, people, who, said):
    client.force_login(getattr(people, who))
    text = _words(client.get(reverse("cockpit:home")))
    assert said in text
    assert "en tant que scolarité" not in text and "en tant que support" not in text


@pytest.mark.django_db
def test_switching_function_names_the_new_one_in_a_french_sentence(client):
    person = make_person()
    ars = function_grant(
        person=person,
        role=Role.ARS,
        start_date=date(2024, 1, 1),
        region=region("84"),
        by=SYSTEM,
    )
    coordinator = function_grant(
        person=person,
        role=Role.COORDINATOR,
        start_date=date(2024, 1, 1),
        subdivision=subdivision("LYON"),
        specialty=specialty("DES-MCA"),
        by=SYSTEM,
    )
    client.force_login(person.user)
    switch = reverse("cockpit:switch_function")
    text = _words(client.post(switch, {"function": ars.pk}, follow=True))
    assert (
        "Vous travaillez maintenant en tant qu'agent ARS — Auvergne-Rhône-Alpes."
        in (text)
    )
    text = _words(client.post(switch, {"function": coordinator.pk}, follow=True))
    assert "Vous travaillez maintenant en tant que coordonnateur de DES — " in text


@pytest.mark.django_db
def test_a_list_says_0_resultat_and_2_resultats(client, ars):
    sites = "/cockpit/terrains-de-stage/"
    text = _words(client.get(sites, {"q": "zzzz"}))
    assert "0 résultat" in text and "0 résultats" not in text
    TrainingSiteFactory(name="Pédiatrie zzzz A")
    TrainingSiteFactory(name="Pédiatrie zzzz B")
    assert "2 résultats" in _words(client.get(sites, {"q": "zzzz"}))


@pytest.mark.django_db
def test_the_menu_says_e_mail(client, people):
    client.force_login(people.resident)
    text = _words(client.get(reverse("cockpit:my_emails")))
    assert "Mes adresses e-mail" in text and "adresses email" not in text
