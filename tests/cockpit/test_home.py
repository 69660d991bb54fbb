from datetime import date

import pytest
from django.urls import reverse

from domains.people.permissions import SYSTEM
from domains.people.roles import Role
from domains.people.services import function_end, function_grant
from tests.factories.people import make_person
from tests.factories.referential import TrainingSiteFactory, specialty, subdivision

pytestmark = pytest.mark.django_db


def test_home_asks_visitors_to_sign_in(client):
    response = client.get(reverse("cockpit:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("identity:login"))


def test_home_lists_the_current_functions_with_their_perimeter(client):
    person = make_person()
    site = TrainingSiteFactory(name="Cardiologie — Hôpital de la Croix-Rousse")
    function_grant(
        person=person,
        role=Role.SITE_SUPERVISOR,
        start_date=date(2024, 11, 1),
        training_site=site,
        by=SYSTEM,
    )
    function_grant(
        person=person,
        role=Role.COORDINATOR,
        start_date=date(2025, 9, 1),
        subdivision=subdivision("LYON"),
        specialty=specialty("DES-MCA"),
        by=SYSTEM,
    )
    ended = function_grant(
        person=person,
        role=Role.SITE_ASSISTANT,
        start_date=date(2023, 1, 1),
        training_site=site,
        by=SYSTEM,
    )
    function_end(function=ended, end_date=date(2024, 1, 1), by=SYSTEM)
    client.force_login(person.user)
    page = client.get(reverse("cockpit:home")).content.decode()
    assert (
        "Responsable de terrain de stage (RTS) — Cardiologie — Hôpital de la Croix-Rousse"
        in page
    )
    assert "Coordonnateur de DES — Médecine cardiovasculaire (Lyon)" in page
    assert "Je travaille en tant que" in page  # two functions: she may switch
    assert "Assistant de terrain de stage" not in page


def test_home_tells_a_person_without_function_whom_to_contact(client):
    person = make_person()
    client.force_login(person.user)
    page = client.get(reverse("cockpit:home")).content.decode()
    assert "aucune fonction en cours" in page
