"""An action that e-mails many people or decides for others asks first, and says how
many it touches: counted on the server by the query the action itself runs on."""

import re

import pytest
from django.core import mail

from domains.accreditation.models import AccreditationRequest
from domains.cockpit.registry import counted
from domains.matching import services as matching_services
from domains.matching.models import Candidacy
from domains.people.roles import Role
from tests.conftest import page_text
from tests.factories.accreditation import make_world
from tests.factories.matching import complete_file, matching_world
from tests.factories.people import make_user_with_role
from tests.factories.referential import TrainingSiteFactory
from tests.factories.residents import add_placement, make_resident

pytestmark = pytest.mark.django_db


def _confirm_of(page: str, action: str, audience: str = "") -> str:
    """The data-confirm of the form posting to `action` (and this audience)."""
    for form in re.findall(r"<form[^>]*>.*?</form>", page, flags=re.S):
        if f'action="{action}"' in form and audience in form:
            found = re.search(r'data-confirm="([^"]*)"', form)
            return found[1] if found else ""
    raise AssertionError(f"no form posting to {action}")


def test_counted_says_the_records_and_the_people_in_french_plurals():
    from django.utils.translation import ngettext_lazy

    question = counted(
        ngettext_lazy("Valider ce stage ?", "Valider ces %(count)d stages ?", "count"),
        people=ngettext_lazy(
            "%(count)d interne concerné.", "%(count)d internes concernés.", "count"
        ),
        concerned=lambda records: len(set(records)),
        then="Tout ou rien.",
    )
    assert question(None, ["a"]) == (
        "Valider ce stage ? 1 interne concerné. Tout ou rien."
    )
    assert question(None, ["a", "a", "b"]) == (
        "Valider ces 3 stages ? 2 internes concernés. Tout ou rien."
    )


def test_validating_stages_asks_with_the_stages_and_residents_counted(client, people):
    lea = make_resident(first_name="Léa", last_name="Garnier")
    tom = make_resident(first_name="Tom", last_name="Petit")
    stages = [
        add_placement(lea, "winter", 2023, validation=None),
        add_placement(lea, "summer", 2024, validation=None),
        add_placement(tom, "winter", 2023, validation=None),
    ]
    client.force_login(people.faculty_registry)
    page = page_text(
        client.post(
            "/cockpit/stages/actions/",
            {"action": "validate", "selection": [s.pk for s in stages]},
        )
    )
    assert re.search(r'id="question">([^<]+)<', page)[1] == (
        "Valider ces 3 stages ? 2 internes concernés."
    )
    assert "3 lignes concernées" in page
    for stage in stages:  # each record listed before anything runs
        assert str(stage) in page
    assert {s.validation for s in type(stages[0]).objects.all()} == {"pending"}

    one = page_text(
        client.post(
            "/cockpit/stages/actions/",
            {"action": "refuse", "selection": [stages[2].pk]},
        )
    )
    assert "Ne pas valider ce stage ? 1 interne concerné." in one


def test_the_jury_decision_asks_for_how_many_residents(client, people):
    make_resident(last_name="Garnier")
    make_resident(last_name="Garnier")
    client.force_login(people.faculty_registry)
    page = page_text(
        client.post(
            "/cockpit/internes/actions/",
            {"action": "phase", "all_matching": "1", "query": "q=garnier"},
        )
    )
    assert "Enregistrer la décision du jury pour ces 2 internes ?" in page
    assert "Tout ou rien" in page


def test_the_bulk_reminder_counts_the_requests_and_their_sites(client):
    w = make_world()
    first = w.new_request()
    second = w.new_request(specialty_code="DES-MGE", type="complementary")
    other_site = TrainingSiteFactory(subdivision=w.site.subdivision)
    w.rts = make_user_with_role(Role.SITE_SUPERVISOR, training_site=other_site)
    third = w.new_request(site=other_site)
    client.force_login(w.ars)
    page = page_text(
        client.post(
            "/cockpit/demandes-agrement/actions/",
            {"action": "relancer", "selection": [first.pk, second.pk, third.pk]},
        )
    )
    assert (
        "Relancer par e-mail les responsables des terrains de ces 3 demandes ? "
        "2 terrains de stage concernés." in page
    )
    assert not AccreditationRequest.objects.filter(reminded_at__isnull=False).exists()
    # A request no longer in draft is pointed out before anything is sent.
    filed = w.filed(specialty_code="DES-MGE", type="complementary", site=other_site)
    page = page_text(
        client.post(
            "/cockpit/demandes-agrement/actions/",
            {"action": "relancer", "selection": [first.pk, filed.pk]},
        )
    )
    assert f"{filed} — n'est plus en brouillon : la relance sera refusée" in page
    assert f"{first} — " not in page


def test_publishing_a_campaign_says_how_many_will_get_the_e_mail(client):
    w = make_world()
    campaign = w.campaign
    type(campaign).objects.filter(pk=campaign.pk).update(status="draft")
    client.force_login(w.ars)
    page = page_text(client.get(campaign.get_absolute_url()))
    action = f"/cockpit/campagnes-agrements/{campaign.pk}/publier/"
    # The RTS and the DAM of the world's site, in the campaign's region.
    assert _confirm_of(page, action).startswith(
        "Publier la campagne ? L'annonce sera mise en ligne et l'e-mail envoyé à "
        "2 destinataires"
    )


def test_matching_reminders_and_computation_say_how_many_residents(
    client, django_capture_on_commit_callbacks
):
    world = matching_world(residents=3, sites=5)
    applied = world.round.candidacies.order_by("pk").first()
    complete_file(world, applied)
    matching_services.wishes_submit(
        by=applied.resident.person.user,
        candidacy=applied,
        hearts={o.pk: 2 for o in world.offers},
        now=world.at("wishes"),
    )
    client.force_login(world.ars)
    url = world.campaign.get_absolute_url()
    page = page_text(client.get(url))
    remind = f"{url}tours/1/relancer/"
    said = _confirm_of(page, remind, 'value="candidats"')
    assert said == (
        "Relancer par e-mail les 2 internes qui n'ont pas validé leurs vœux ?"
    )
    assert _confirm_of(page, f"{url}tours/1/calculer/") == (
        "Calculer l'appariement de l'interne aux vœux validés sur "
        f"{len(world.offers)} postes ? Les vœux et les classements sont figés tels "
        "qu'ils sont."
    )
    # The number asked is the number the action writes to.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind, {"audience": "candidats"})
    assert len(mail.outbox) == 2
    assert Candidacy.objects.filter(round=world.round).count() == 3


def test_publishing_a_round_says_how_many_residents_will_be_told(
    client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from tests.matching.test_publication_placements import computed_world

    world, run = computed_world(django_capture_on_commit_callbacks)
    client.force_login(world.ars)
    url = world.campaign.get_absolute_url()
    page = page_text(client.get(url))
    assert _confirm_of(page, f"{url}tours/1/calculs/{run.pk}/publier/") == (
        "Publier ce résultat ? Les 5 internes concernés et les responsables des "
        "postes seront prévenus par e-mail ; il n'y aura plus de recalcul."
    )
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.round_publish(
            by=world.ars, matching_round=world.round, run=run
        )
    now = world.round.publication_at + timedelta(days=1)
    matching_services.round_create(
        by=world.ars,
        campaign=world.campaign,
        wishes_open=now,
        wishes_close=now + timedelta(days=1),
        ranking_open=now + timedelta(days=1),
        ranking_close=now + timedelta(days=2),
        publication_at=now + timedelta(days=3),
        manual=True,
    )
    page = page_text(client.get(url))
    assert _confirm_of(page, f"{url}tours/2/audition/publier/") == (
        "Publier l'affectation de l'interne entendu ? L'interne et les responsables "
        "seront prévenus par e-mail. 1 interne sans décision sera publié sans poste."
    )
