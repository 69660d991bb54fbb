"""The matching services ask who acts (issue 18, item 5): a view, a task or an API
gets the same answer. Each write refuses an actor outside its perimeter."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from domains.matching import services
from domains.matching.models import (
    MatchingCampaign,
    MatchingRound,
    MatchingRun,
    MatchResult,
)
from domains.people.roles import Role
from tests.factories.matching import complete_file, matching_world, pdf
from tests.factories.people import make_user_with_role
from tests.factories.referential import region, specialty

pytestmark = pytest.mark.django_db


def denied(call) -> str:
    with pytest.raises(PermissionDenied) as error:
        call()
    return str(error.value)


@pytest.fixture
def world():
    return matching_world(residents=2, sites=2)


def calendar():
    now = timezone.now()
    return {
        "wishes_open": now,
        "wishes_close": now + timedelta(days=1),
        "ranking_open": now + timedelta(days=2),
        "ranking_close": now + timedelta(days=3),
        "publication_at": now + timedelta(days=4),
    }


def test_an_ars_of_another_region_is_refused_by_every_campaign_and_round_service(
    world,
    people,
):
    other = people.ars_elsewhere
    sentence = "Seule l'ARS de la région conduit cette campagne."
    campaigns = MatchingCampaign.objects.count()
    assert sentence in denied(
        lambda: services.campaign_create(
            by=other,
            name="Intrusion",
            region=region("84"),
            semester=world.campaign.semester,
            specialties=[specialty("DES-MCA")],
        )
    )
    assert MatchingCampaign.objects.count() == campaigns
    assert sentence in denied(
        lambda: services.round_create(by=other, campaign=world.campaign, **calendar())
    )
    assert world.campaign.rounds.count() == 1
    assert sentence in denied(
        lambda: services.run_start(
            by=other, matching_round=world.round, background=False
        )
    )
    run = MatchingRun(round=world.round, seed=1, instance={})
    assert sentence in denied(lambda: services.run_replay(by=other, run=run))
    assert sentence in denied(
        lambda: services.round_publish(by=other, matching_round=world.round, run=run)
    )
    candidacy = world.round.candidacies.first()
    assert sentence in denied(
        lambda: services.manual_assign(
            by=other, candidacy=candidacy, offer=world.offers[0]
        )
    )
    assert sentence in denied(
        lambda: services.manual_round_publish(by=other, matching_round=world.round)
    )
    result = MatchResult(round=world.round, candidacy=candidacy)
    assert sentence in denied(
        lambda: services.result_correct(
            by=other, result=result, offer=None, note="Intrusion."
        )
    )
    assert not MatchingRun.objects.exists()
    assert not MatchResult.objects.exists()
    # Her own region's campaigns she runs.
    services.campaign_create(
        by=other,
        name="Bretagne",
        region=region("53"),
        semester=world.campaign.semester,
        specialties=[specialty("DES-MCA")],
    )


def test_reminders_belong_to_the_campaigns_ars_and_its_faculty_registries(
    world, people
):
    assert denied(
        lambda: services.reminders_send(
            by=people.ars_elsewhere,
            matching_round=world.round,
            audience="candidats",
        )
    )
    assert denied(
        lambda: services.reminders_send(
            by=people.faculty_registry_elsewhere,
            matching_round=world.round,
            audience="candidats",
        )
    )
    # A coordinator reads the campaign but does not remind.
    assert denied(
        lambda: services.reminders_send(
            by=people.coordinator,
            matching_round=world.round,
            audience="candidats",
        )
    )
    lyon = people.faculty_registry
    assert services.reminders_send(
        by=lyon, matching_round=world.round, audience="candidats"
    )
    assert services.reminders_send(
        by=world.ars, matching_round=world.round, audience="candidats"
    )


def test_a_supervisor_ranks_only_the_posts_of_his_own_site(world):
    candidacy = world.round.candidacies.order_by("pk").first()
    complete_file(world, candidacy)
    services.wishes_submit(
        by=candidacy.resident.person.user,
        candidacy=candidacy,
        hearts={o.pk: 3 for o in world.offers},
        now=world.at("wishes"),
    )
    offer = world.offers[0]
    ranks = {candidacy.pk: 1}
    other_site = world.supervisors[1]
    assert "Seuls le responsable et les maîtres de stage du terrain classent." in (
        denied(
            lambda: services.ranking_submit(
                by=other_site, offer=offer, ranks=ranks, now=world.at("ranking")
            )
        )
    )
    # Nor does the ARS of the region, who reads the rankings without making them.
    assert denied(
        lambda: services.ranking_submit(
            by=world.ars, offer=offer, ranks=ranks, now=world.at("ranking")
        )
    )
    assert not offer.ranks.exists()
    practitioner = make_user_with_role(Role.PRACTITIONER, training_site=world.sites[0])
    services.ranking_submit(
        by=practitioner, offer=offer, ranks=ranks, now=world.at("ranking")
    )
    assert list(offer.ranks.values_list("rank", flat=True)) == [1]


def test_a_resident_files_only_her_own_wishes_and_documents(world):
    mine, hers = world.round.candidacies.order_by("pk")
    complete_file(world, hers)
    me = mine.resident.person.user
    sentence = "Cette candidature n'est pas la vôtre."
    assert sentence in denied(
        lambda: services.wishes_submit(
            by=me,
            candidacy=hers,
            hearts={o.pk: 5 for o in world.offers},
            now=world.at("wishes"),
        )
    )
    assert sentence in denied(
        lambda: services.candidacy_file_set(
            by=me, candidacy=hers, kind="cv", upload=pdf(), now=world.at("wishes")
        )
    )
    hers.refresh_from_db()
    assert hers.submitted_at is None and not hers.wishes.exists()
    services.wishes_submit(
        by=hers.resident.person.user,
        candidacy=hers,
        hearts={o.pk: 5 for o in world.offers},
        now=world.at("wishes"),
    )
    hers.refresh_from_db()
    assert hers.submitted_at is not None


def test_the_round_services_accept_the_ars_of_the_region(world):
    opened = services.round_create(
        by=world.ars,
        campaign=services.campaign_create(
            by=world.ars,
            name="Deuxième campagne",
            region=region("84"),
            semester=world.campaign.semester,
            specialties=[specialty("DES-MCA")],
        ),
        **calendar(),
    )
    assert isinstance(opened, MatchingRound)
    assert opened.offers.count() == 2
