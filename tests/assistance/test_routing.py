"""Requests reach the level-1 team of their subdivision and category; level-1 agents
see their teams' tickets only."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

import helpdesk
from assistance.models import Category, Route, Team, TicketContext, Tier
from assistance.selectors import visible_tickets
from assistance.services import request_file, teams_setup
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


def test_helpdesk_is_the_installed_django_helpdesk_not_our_folder():
    assert "site-packages" in helpdesk.__file__


@pytest.fixture
def teams():
    teams_setup()


def file(sub, category=Category.MATCHING, **extra):
    return request_file(
        title="Je ne vois pas mes vœux",
        description="La page Mon appariement est vide.",
        category=category,
        email="lea@etu.exemple.fr",
        subdivision=sub,
        **extra,
    )


def test_each_subdivision_has_a_level_1_team_for_every_category(teams):
    assert Route.objects.filter(subdivision=subdivision("LYON")).count() == len(
        Category.values
    )
    assert teams_setup() == 0  # idempotent


def test_a_request_goes_to_its_subdivision_team_and_is_acknowledged(
    teams, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file(
            subdivision("LYON"),
            application="Cockpit",
            page="/cockpit/mon-appariement/",
            function="Interne",
        )
    assert ticket.queue.team.subdivision == subdivision("LYON")
    context = TicketContext.objects.get(ticket=ticket)
    assert (context.tier, context.page) == (Tier.LEVEL_1, "/cockpit/mon-appariement/")
    assert mail.outbox[0].to == ["lea@etu.exemple.fr"]
    assert f"n° {ticket.pk}" in mail.outbox[0].subject


def test_a_route_can_send_a_category_to_another_team(teams):
    grenoble_team = Route.objects.get(
        subdivision=subdivision("GRENOBLE"), category=Category.ACCOUNT
    ).team
    Route.objects.filter(
        subdivision=subdivision("LYON"), category=Category.ACCOUNT
    ).update(team=grenoble_team)
    assert file(subdivision("LYON"), Category.ACCOUNT).queue == grenoble_team.queue


def test_without_a_subdivision_the_request_goes_to_level_2(teams):
    assert file(None).queue.team.tier == Tier.LEVEL_2


def test_a_request_needs_a_title_a_text_a_category_and_an_address(teams):
    with pytest.raises(ValidationError) as error:
        request_file(title=" ", description="", category="x", email="pas-une-adresse")
    assert set(error.value.message_dict) == {
        "title",
        "description",
        "category",
        "email",
    }


def test_level_1_agents_see_only_their_subdivisions_tickets(teams, people):
    lyon, rennes = file(subdivision("LYON")), file(subdivision("RENNES"))
    lyon_agent = people.support_l1
    rennes_agent = people.support_l1_elsewhere
    national = people.support_l2
    assert list(visible_tickets(lyon_agent)) == [lyon]
    assert list(visible_tickets(rennes_agent)) == [rennes]
    assert set(visible_tickets(national)) == {lyon, rennes}


def test_the_person_asking_sees_her_own_requests_only(teams, people):
    resident = people.resident
    mine = file(subdivision("LYON"), person=resident.person)
    file(subdivision("LYON"))
    assert list(visible_tickets(resident)) == [mine]


def test_every_fresh_database_can_route_a_request():
    # Set up after migrate: no request ever finds itself without a team.
    assert Team.objects.filter(tier=Tier.LEVEL_2).count() == 1
    assert Team.objects.filter(tier=Tier.LEVEL_1).count() == 28
    assert file(subdivision("RENNES")).queue.team.subdivision == subdivision("RENNES")
