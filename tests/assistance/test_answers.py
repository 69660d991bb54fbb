"""Canned answers, national and per team, and an agent's answer reaching the person."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from assistance.models import Category, Team
from assistance.selectors import canned_answers
from assistance.services import (
    answer_send,
    canned_answer_save,
    request_file,
    teams_setup,
)
from domains.people.roles import Role
from tests.factories.people import make_user_with_role
from tests.factories.referential import subdivision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():
    teams_setup()
    return request_file(
        title="Mot de passe oublié",
        description="Le lien ne marche pas.",
        category=Category.ACCOUNT,
        email="msu@cabinet-exemple.fr",
        subdivision=subdivision("LYON"),
    )


def test_a_ticket_offers_national_answers_and_its_own_teams_only(ticket, people):
    national = people.support_l2
    lyon = people.support_l1
    canned_answer_save(
        by=national, name="Lien de connexion", body="Demandez un lien.", team=None
    )
    lyon_team = Team.objects.get(subdivision=subdivision("LYON"))
    grenoble_team = Team.objects.get(subdivision=subdivision("GRENOBLE"))
    canned_answer_save(
        by=lyon, name="Scolarité Lyon", body="Écrivez-nous.", team=lyon_team
    )
    with pytest.raises(PermissionDenied, match="pas de cette équipe"):
        canned_answer_save(by=lyon, name="Ailleurs", body="…", team=grenoble_team)
    with pytest.raises(PermissionDenied, match="écrites par l'UNESS"):
        canned_answer_save(by=lyon, name="National", body="…", team=None)
    grenoble = make_user_with_role(Role.SUPPORT_L1, subdivision=subdivision("GRENOBLE"))
    canned_answer_save(by=grenoble, name="Grenoble", body="…", team=grenoble_team)
    names = [r.name for r in canned_answers(ticket)]
    assert names == ["Lien de connexion", "Scolarité Lyon"]


def test_an_agent_answer_is_mailed_to_the_person(
    ticket, django_capture_on_commit_callbacks, people
):
    lyon = people.support_l1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer_send(by=lyon, ticket=ticket, text="Un nouveau lien vous est envoyé.")
    assert mail.outbox[-1].to == ["msu@cabinet-exemple.fr"]
    assert "Un nouveau lien vous est envoyé." in mail.outbox[-1].body
    rennes = people.support_l1_elsewhere
    with pytest.raises(PermissionDenied, match="pas dans vos équipes"):
        answer_send(by=rennes, ticket=ticket, text="Pas ma demande.")
