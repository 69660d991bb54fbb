"""Published matching results become the residents' consolidation stages (issue 18,
defect 4): in Mon parcours, on the site's stages, corrected without duplicates."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from domains.cockpit.models import EmailLog
from domains.matching import services
from domains.matching.models import MatchResult, RoundStatus
from domains.residents.models import Placement, PlacementMode, Validation
from tests.factories.matching import matching_world
from tests.factories.referential import phase
from tests.factories.residents import add_placement
from tests.matching.test_services import apply_all, rank_all

pytestmark = pytest.mark.django_db


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def computed_world(django_capture_on_commit_callbacks):
    """Five residents wish the first four posts only: four matched, one without."""
    world = matching_world(residents=5, sites=5)
    apply_all(world, lambda n, k: 5 if k < 4 else 0)
    rank_all(world, lambda k, n: n + 1)
    world.move_calendar("after")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(by=world.ars, matching_round=world.round)
    run.refresh_from_db()
    return world, run


def published_world(django_capture_on_commit_callbacks):
    world, run = computed_world(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(by=world.ars, matching_round=world.round, run=run)
    return world


def test_each_matched_resident_gets_her_consolidation_stage_on_the_posts_site(
    django_capture_on_commit_callbacks,
):
    world = published_world(django_capture_on_commit_callbacks)
    semester = world.campaign.semester
    results = MatchResult.objects.filter(round=world.round).select_related(
        "candidacy__resident", "offer__post"
    )
    matched = [r for r in results if r.offer]
    assert len(matched) == 4
    for result in matched:
        post = result.offer.post
        stage = Placement.objects.get(resident=result.candidacy.resident)
        assert stage.semester == semester
        assert stage.training_site == post.training_site
        assert stage.post == post
        assert stage.specialty == post.specialty
        assert stage.phase == phase("consolidation")
        assert stage.mode == PlacementMode.R3C
        assert stage.validation == Validation.PENDING
        # Audited: its history names the ARS who published.
        assert stage.history.get().history_user == world.ars
    unmatched = next(r for r in results if r.offer is None)
    assert not Placement.objects.filter(resident=unmatched.candidacy.resident).exists()


def test_the_stage_shows_in_her_path_and_on_the_site_supervisors_stages(
    client, django_capture_on_commit_callbacks
):
    world = published_world(django_capture_on_commit_callbacks)
    result = MatchResult.objects.filter(
        round=world.round, offer__isnull=False
    ).select_related("candidacy__resident__person", "offer__post__training_site")[0]
    resident = result.candidacy.resident
    site = result.offer.post.training_site
    client.force_login(resident.person.user)
    page = client.get("/cockpit/mon-parcours/").content.decode()
    placements = page[page.index('id="placements"') :]
    assert site.name in placements
    assert str(world.campaign.semester) in placements
    assert phase("consolidation").label in placements
    supervisor = world.supervisors[world.sites.index(site)]
    client.force_login(supervisor)
    listing = client.get("/cockpit/stages/").content.decode()
    assert resident.person.last_name in listing
    elsewhere = next(s for s in world.supervisors if s != supervisor)
    client.force_login(elsewhere)
    assert (
        resident.person.last_name not in client.get("/cockpit/stages/").content.decode()
    )


def test_a_corrected_result_moves_her_stage_and_never_duplicates_it(
    django_capture_on_commit_callbacks,
):
    world = published_world(django_capture_on_commit_callbacks)
    result = MatchResult.objects.filter(round=world.round, offer__isnull=False).first()
    resident = result.candidacy.resident
    before = Placement.objects.get(resident=resident)
    free = world.offers[4]  # nobody wished it: its seat is left
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.result_correct(
            by=world.ars, result=result, offer=free, note="Classement saisi à tort."
        )
    stages = Placement.objects.filter(resident=resident)
    assert stages.count() == 1
    stage = stages.get()
    assert stage.pk == before.pk  # the same stage, moved
    assert stage.training_site == free.post.training_site
    assert stage.post == free.post
    assert Placement.objects.filter(training_site=before.training_site).count() == 0
    assert [m.to for m in mail.outbox] == [[resident.person.primary_email]]
    assert "Classement saisi à tort." in mail.outbox[0].body
    assert free.post.training_site.name in mail.outbox[0].body
    assert mail.outbox[0].subject == "SIIMOP — appariement : votre résultat est corrigé"
    assert EmailLog.objects.filter(
        email=resident.person.primary_email,
        template="matching/email_result_corrected",
        sent=True,
    ).exists()
    # Corrected again, to no post: her stage of the round goes.
    services.result_correct(by=world.ars, result=result, offer=None, note="Désiste.")
    assert not Placement.objects.filter(resident=resident).exists()
    # The others' stages are untouched: three left, one each.
    assert Placement.objects.count() == 3
    assert Placement.objects.values("resident").distinct().count() == 3


def test_a_correction_gives_the_unmatched_resident_a_stage(
    django_capture_on_commit_callbacks,
):
    world = published_world(django_capture_on_commit_callbacks)
    result = MatchResult.objects.get(round=world.round, offer__isnull=True)
    services.result_correct(
        by=world.ars, result=result, offer=world.offers[4], note="Après recours."
    )
    stage = Placement.objects.get(resident=result.candidacy.resident)
    assert stage.training_site == world.offers[4].post.training_site
    assert Placement.objects.count() == 5


def test_corrections_keep_the_rules_of_the_round(django_capture_on_commit_callbacks):
    world = published_world(django_capture_on_commit_callbacks)
    result = MatchResult.objects.filter(round=world.round, offer__isnull=False).first()
    taken = MatchResult.objects.exclude(pk=result.pk).filter(offer__isnull=False)[0]
    assert "Indiquez le motif de la correction." in refusal(
        lambda: services.result_correct(
            by=world.ars, result=result, offer=world.offers[4], note=" "
        )
    )
    assert "sont déjà attribuées" in refusal(
        lambda: services.result_correct(
            by=world.ars, result=result, offer=taken.offer, note="Erreur."
        )
    )
    # Once the next round is open on the seats left, round 1 no longer changes.
    now = world.round.publication_at + timedelta(days=1)
    services.round_create(
        by=world.ars,
        campaign=world.campaign,
        wishes_open=now,
        wishes_close=now + timedelta(days=1),
        ranking_open=now + timedelta(days=2),
        ranking_close=now + timedelta(days=3),
        publication_at=now + timedelta(days=4),
    )
    assert "Le tour suivant est ouvert" in refusal(
        lambda: services.result_correct(
            by=world.ars, result=result, offer=world.offers[4], note="Erreur."
        )
    )
    assert Placement.objects.get(resident=result.candidacy.resident).post == (
        result.offer.post
    )


def test_a_stage_already_recorded_that_semester_stops_the_publication(
    django_capture_on_commit_callbacks,
):
    world, run = computed_world(django_capture_on_commit_callbacks)
    resident = world.residents[0]
    add_placement(
        resident,
        "winter",
        2027,
        validation=None,
        phase_code="consolidation",
        site=world.sites[1],
    )
    message = refusal(
        lambda: services.round_publish(
            by=world.ars, matching_round=world.round, run=run
        )
    )
    assert f"{resident} a déjà un stage au semestre" in message
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.COMPUTED  # nothing was published
    assert not MatchResult.objects.filter(round=world.round).exists()
    assert Placement.objects.count() == 1


def test_a_round_by_hearing_publishes_its_stages_too(
    django_capture_on_commit_callbacks,
):
    world = published_world(django_capture_on_commit_callbacks)
    now = world.round.publication_at + timedelta(days=1)
    hearing = services.round_create(
        by=world.ars,
        campaign=world.campaign,
        wishes_open=now,
        wishes_close=now + timedelta(days=1),
        ranking_open=now + timedelta(days=1),
        ranking_close=now + timedelta(days=2),
        publication_at=now + timedelta(days=3),
        manual=True,
    )
    candidacy = hearing.candidacies.get()
    offer = hearing.offers.get()
    services.manual_assign(by=world.ars, candidacy=candidacy, offer=offer, note="Vu.")
    services.manual_round_publish(by=world.ars, matching_round=hearing)
    stage = Placement.objects.get(resident=candidacy.resident)
    assert stage.training_site == offer.post.training_site
    assert Placement.objects.count() == 5
    # Correcting the hearing round moves only its own stage.
    services.result_correct(
        by=world.ars, result=candidacy.result, offer=None, note="Renonce."
    )
    assert not Placement.objects.filter(resident=candidacy.resident).exists()
    assert Placement.objects.count() == 4


def test_the_ars_corrects_a_result_from_the_campaign_page(
    client, django_capture_on_commit_callbacks
):
    world = published_world(django_capture_on_commit_callbacks)
    result = MatchResult.objects.get(round=world.round, offer__isnull=True)
    url = world.campaign.get_absolute_url()
    client.force_login(world.ars)
    page = client.get(url).content.decode()
    assert "Corriger un résultat publié" in page
    refused = client.post(
        url + "tours/1/corriger/",
        {"candidacy": result.candidacy_id, "offer": world.offers[4].pk, "note": ""},
        follow=True,
    ).content.decode()
    assert "Indiquez le motif de la correction." in refused
    assert not Placement.objects.filter(resident=result.candidacy.resident).exists()
    done = client.post(
        url + "tours/1/corriger/",
        {
            "candidacy": result.candidacy_id,
            "offer": world.offers[4].pk,
            "note": "Après recours.",
        },
        follow=True,
    ).content.decode()
    assert "Résultat corrigé" in done
    stage = Placement.objects.get(resident=result.candidacy.resident)
    assert stage.training_site == world.offers[4].post.training_site
    # The campaign's readers do not correct.
    client.force_login(world.supervisors[0])
    response = client.post(
        url + "tours/1/corriger/",
        {"candidacy": result.candidacy_id, "offer": "", "note": "Non."},
    )
    assert response.status_code in (403, 404)
    assert Placement.objects.filter(resident=result.candidacy.resident).exists()
