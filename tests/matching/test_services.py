"""A matching round through its services: who may act, when, and under which rules."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from domains.matching import services
from domains.matching.algorithm import check, load_instance
from domains.matching.models import MatchResult, RoundStatus, RunStatus
from domains.matching.selectors import explanations, round_instance
from tests.factories.matching import complete_file, matching_world, pdf

pytestmark = pytest.mark.django_db


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.messages)


def denied(call) -> str:
    with pytest.raises(PermissionDenied) as error:
        call()
    return str(error.value)


def apply_all(world, hearts_for):
    """Every resident completes her file and rates every post (hearts_for(n, k))."""
    for n, candidacy in enumerate(world.round.candidacies.order_by("pk")):
        complete_file(world, candidacy)
        services.wishes_submit(
            by=candidacy.resident.person.user,
            candidacy=candidacy,
            hearts={o.pk: hearts_for(n, k) for k, o in enumerate(world.offers)},
            now=world.at("wishes"),
        )


def rank_all(world, rank_for):
    for k, offer in enumerate(world.offers):
        candidates = list(
            world.round.candidacies.filter(
                wishes__offer=offer, wishes__hearts__gt=0
            ).order_by("pk")
        )
        services.ranking_submit(
            by=world.supervisors[k],
            offer=offer,
            ranks={c.pk: rank_for(k, n) for n, c in enumerate(candidates)},
            now=world.at("ranking"),
        )


def test_round_one_offers_the_consolidation_posts_to_the_concerned_residents():
    world = matching_world()
    assert world.round.offers.count() == 5
    names = sorted(c.resident.person.last_name for c in world.round.candidacies.all())
    assert names == [f"JUNIOR{n}" for n in range(1, 6)]  # not SOCLE, not RENNAIS


def test_only_the_ars_of_the_region_runs_a_campaign(people):
    world = matching_world(residents=1, sites=1)
    other_ars = people.ars_elsewhere
    assert "Seule l'ARS de la région" in denied(
        lambda: services.run_start(by=other_ars, matching_round=world.round)
    )


def test_candidacy_files_are_pdf_only_and_limited_in_size():
    world = matching_world(residents=1, sites=1)
    candidacy = world.round.candidacies.get()
    user = candidacy.resident.person.user
    fake = SimpleUploadedFile("cv.pdf", b"MZ not a pdf", content_type="application/pdf")
    assert "CV : seul un fichier PDF est accepté." in refusal(
        lambda: services.candidacy_file_set(
            by=user, candidacy=candidacy, kind="cv", upload=fake, now=world.at("wishes")
        )
    )
    big = SimpleUploadedFile("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert "CV : 5 Mo au plus." in refusal(
        lambda: services.candidacy_file_set(
            by=user, candidacy=candidacy, kind="cv", upload=big, now=world.at("wishes")
        )
    )
    someone_else = world.ars
    assert "n'est pas la vôtre" in denied(
        lambda: services.candidacy_file_set(
            by=someone_else,
            candidacy=candidacy,
            kind="cv",
            upload=pdf(),
            now=world.at("wishes"),
        )
    )


def test_wishes_need_the_file_four_wishes_and_a_fifth_of_the_posts():
    world = matching_world(residents=1, sites=25)
    candidacy = world.round.candidacies.get()
    user = candidacy.resident.person.user
    offers = world.offers

    def submit(count):
        return services.wishes_submit(
            by=user,
            candidacy=candidacy,
            hearts={o.pk: (3 if k < count else 0) for k, o in enumerate(offers)},
            now=world.at("wishes"),
        )

    assert "Déposez d'abord : CV, lettre de motivation, contrat de formation." in (
        refusal(lambda: submit(10))
    )
    complete_file(world, candidacy)
    # 25 posts: 20 % is 5, more than the 4-wish minimum.
    assert (
        "Vous avez noté 4 poste(s) : il en faut au moins 5 (au moins 4 vœux et au "
        "moins 20 % des 25 postes proposés)." in refusal(lambda: submit(4))
    )
    assert candidacy.wishes.count() == 0
    submit(5)
    candidacy.refresh_from_db()
    assert candidacy.submitted_at is not None
    assert candidacy.wishes.count() == 5
    # Editable until the deadline, then locked.
    submit(6)
    assert candidacy.wishes.count() == 6
    late = world.round.wishes_close + timedelta(minutes=1)
    assert "Les vœux de ce tour ne sont pas ouverts" in refusal(
        lambda: services.wishes_submit(
            by=user, candidacy=candidacy, hearts={offers[0].pk: 5}, now=late
        )
    )
    assert candidacy.wishes.count() == 6


def test_supervisors_rank_at_least_80_percent_of_their_applicants_in_their_window():
    world = matching_world(residents=5, sites=5)
    apply_all(world, lambda n, k: 5 - k % 5)
    offer = world.offers[0]
    candidates = list(
        world.round.candidacies.filter(wishes__offer=offer).order_by("pk")
    )
    assert len(candidates) == 5
    supervisor = world.supervisors[0]
    three = {c.pk: 1 for c in candidates[:3]} | {c.pk: 0 for c in candidates[3:]}
    assert (
        "Vous avez classé 3 candidat(s) sur 5 : il faut en classer au moins 80 %"
        in (
            refusal(
                lambda: services.ranking_submit(
                    by=supervisor, offer=offer, ranks=three, now=world.at("ranking")
                )
            )
        )
    )
    four = {c.pk: 1 for c in candidates[:4]}
    assert "ne sont pas ouverts" in refusal(
        lambda: services.ranking_submit(
            by=supervisor, offer=offer, ranks=four, now=world.at("wishes")
        )
    )
    assert "Seuls le responsable et les maîtres de stage" in denied(
        lambda: services.ranking_submit(
            by=world.supervisors[1], offer=offer, ranks=four, now=world.at("ranking")
        )
    )
    services.ranking_submit(
        by=supervisor, offer=offer, ranks=four, now=world.at("ranking")
    )
    offer.refresh_from_db()
    assert offer.ranking_submitted_at is not None
    assert sorted(offer.ranks.values_list("rank", flat=True)) == [0, 1, 1, 1, 1]


def test_a_round_computed_published_explained_and_replayed(
    django_capture_on_commit_callbacks,
):
    world = matching_world(residents=5, sites=5)
    # Everybody prefers the first post; the supervisors rank by arrival order.
    apply_all(world, lambda n, k: 5 if k == 0 else 2)
    rank_all(world, lambda k, n: n + 1)
    assert "après la clôture des classements" in refusal(
        lambda: services.run_start(
            by=world.ars, matching_round=world.round, now=world.at("ranking")
        )
    )
    world.move_calendar("after")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(by=world.ars, matching_round=world.round)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.matched == 5
    instance = load_instance(run.instance)
    assert run.input_hash == instance.input_hash()
    world.round.refresh_from_db()
    assert world.round.status == RoundStatus.COMPUTED

    with django_capture_on_commit_callbacks(execute=True):
        replay = services.run_replay(by=world.ars, run=run)
    replay.refresh_from_db()
    assert replay.identical is True
    assert replay.output == run.output

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(by=world.ars, matching_round=world.round, run=run)
    assert (
        MatchResult.objects.filter(round=world.round, offer__isnull=False).count() == 5
    )
    recipients = {address for m in mail.outbox for address in m.to}
    assert {f"junior{n}@etu.exemple.fr" for n in range(1, 6)} <= recipients
    assert {s.person.primary_email for s in world.supervisors} <= recipients
    # The first post went to the one its supervisor ranked first; the others learn why.
    world.round.refresh_from_db()
    first = world.round.candidacies.order_by("pk").first()
    assert first.result.offer == world.offers[0]
    second = world.round.candidacies.order_by("pk")[1]
    reasons = {e["offer"].pk: e["text"] for e in explanations(second)}
    assert reasons[world.offers[0].pk].startswith(
        "Toutes les places qui vous étaient ouvertes sont allées"
    )
    assert "JUNIOR1" not in " ".join(reasons.values())
    # Published: no recomputation, no second publication.
    assert "publié" in refusal(
        lambda: services.run_start(by=world.ars, matching_round=world.round)
    )
    assert "n'est pas possible" in refusal(
        lambda: services.round_publish(
            by=world.ars, matching_round=world.round, run=run
        )
    )


def test_the_frozen_input_is_a_stable_snapshot_and_results_verify():
    world = matching_world(residents=5, sites=3, seats=2, local_priority=True)
    apply_all(world, lambda n, k: [5, 4, 4][k])
    rank_all(world, lambda k, n: 1 + n % 2)
    data = round_instance(world.round, seed=7)
    assert data == round_instance(world.round, seed=7)
    assert data["rules"] == {"local_priority": True}
    assert {p["seats"] for p in data["posts"]} == {2}
    assert all(r["id"].startswith("C") for r in data["residents"])  # names nobody
    instance = load_instance(data)
    from domains.matching.algorithm import solve

    assert check(instance, solve(instance)) == []


def test_round_two_offers_the_seats_left_to_those_without_a_post(
    django_capture_on_commit_callbacks,
):
    world = matching_world(residents=5, sites=5)
    # Five residents want the first four posts only.
    apply_all(world, lambda n, k: 5 if k < 4 else 0)
    rank_all(world, lambda k, n: n + 1)
    world.move_calendar("after")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(by=world.ars, matching_round=world.round)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(by=world.ars, matching_round=world.round, run=run)
    unmatched = MatchResult.objects.filter(round=world.round, offer__isnull=True)
    assert unmatched.count() == 1  # four posts wished by five residents
    now = world.round.publication_at + timedelta(days=1)
    second = services.round_create(
        by=world.ars,
        campaign=world.campaign,
        wishes_open=now,
        wishes_close=now + timedelta(days=1),
        ranking_open=now + timedelta(days=2),
        ranking_close=now + timedelta(days=3),
        publication_at=now + timedelta(days=4),
    )
    assert second.number == 2
    assert second.offers.count() == 1  # the fifth post, nobody wanted it
    assert list(second.candidacies.values_list("resident_id", flat=True)) == [
        unmatched.get().candidacy.resident_id
    ]


def test_a_round_by_hearing_is_decided_post_by_post_within_the_seats_left(
    django_capture_on_commit_callbacks,
    people,
):
    world = matching_world(residents=5, sites=5)
    apply_all(world, lambda n, k: 5 if k < 4 else 0)
    rank_all(world, lambda k, n: n + 1)
    world.move_calendar("after")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(by=world.ars, matching_round=world.round)
    run.refresh_from_db()
    services.round_publish(by=world.ars, matching_round=world.round, run=run)
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
    candidacy = hearing.candidacies.get()  # the one left without a post
    offer = hearing.offers.get()
    assert "sans calcul" in refusal(
        lambda: services.run_start(by=world.ars, matching_round=hearing, now=now)
    )
    services.manual_assign(
        by=world.ars, candidacy=candidacy, offer=offer, note="Après audition."
    )
    other = people.ars_elsewhere
    assert "Seule l'ARS de la région" in denied(
        lambda: services.manual_assign(by=other, candidacy=candidacy, offer=None)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.manual_round_publish(by=world.ars, matching_round=hearing)
    candidacy.refresh_from_db()
    assert candidacy.result.offer == offer
    assert candidacy.result.note == "Après audition."
    assert candidacy.resident.person.primary_email in {m.to[0] for m in mail.outbox}
    assert "n'est pas possible" in refusal(
        lambda: services.manual_round_publish(by=world.ars, matching_round=hearing)
    )
