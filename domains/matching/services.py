"""Writes of the matching domain: campaigns, rounds, candidacies, wishes, rankings,
computations, publication. Each checks who acts, within which perimeter and when."""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import time
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from domains.cockpit import mailer
from domains.cockpit.audit import audited
from domains.cockpit.files import pdf_check
from domains.people.models import User
from domains.referential.models import Phase, Post
from domains.residents.services import consolidation_placements_record

from . import algorithm, permissions
from .models import (
    FILE_ATTRIBUTE,
    FILE_FIELDS,
    ROUND_TRANSITIONS,
    Audience,
    Candidacy,
    MatchingCampaign,
    MatchingRound,
    MatchingRun,
    MatchResult,
    Rank,
    RoundPost,
    RoundStatus,
    RunStatus,
    Wish,
)
from .selectors import (
    applicants,
    concerned_residents,
    not_applied,
    not_ranked,
    offers_for,
    round_instance,
)


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: message} if field else message)


def _move(matching_round: MatchingRound, to: str, by) -> None:
    if to not in ROUND_TRANSITIONS[matching_round.status]:
        _refuse(
            _("Le tour est « %(state)s » : cette étape n'est pas possible.")
            % {"state": matching_round.get_status_display()}
        )
    matching_round.status = to
    audited(matching_round, by).save()


# --- campaigns and rounds ------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, by: User, name: str, region, semester, specialties, local_priority: bool = True
) -> MatchingCampaign:
    permissions.require_create_campaign(by, region)
    if not specialties:
        _refuse(_("Choisissez au moins une spécialité."), "specialties")
    campaign = audited(
        MatchingCampaign(
            name=name.strip(),
            region=region,
            semester=semester,
            local_priority=local_priority,
            created_by=by,
        ),
        by,
    )
    campaign.save()
    campaign.specialties.set(specialties)
    return campaign


@transaction.atomic
def round_create(
    *,
    by: User,
    campaign: MatchingCampaign,
    wishes_open: datetime,
    wishes_close: datetime,
    ranking_open: datetime,
    ranking_close: datetime,
    publication_at: datetime,
    manual: bool = False,
) -> MatchingRound:
    """Opens the next round. Round 1 offers the campaign's consolidation posts to every
    concerned resident; a later round offers the seats left to those still without a
    post. A round by hearing (`manual`, after round 1) is decided by the ARS, post by
    post, outside the algorithm."""
    permissions.require_run_campaign(by, campaign)
    previous = campaign.rounds.order_by("-number").first()
    if previous and previous.status != RoundStatus.PUBLISHED:
        _refuse(_("Le tour précédent doit être publié avant d'ouvrir le suivant."))
    if manual and previous is None:
        _refuse(_("Le tour par audition vient après un tour calculé."))
    matching_round = audited(
        MatchingRound(
            campaign=campaign,
            number=previous.number + 1 if previous else 1,
            manual=manual,
            wishes_open=wishes_open,
            wishes_close=wishes_close,
            ranking_open=ranking_open,
            ranking_close=ranking_close,
            publication_at=publication_at,
        ),
        by,
    )
    matching_round.clean()  # the calendar in order, each refusal on its date
    matching_round.save()
    if previous is None:
        posts = Post.objects.filter(
            semester=campaign.semester,
            specialty__in=campaign.specialties.all(),
            phase__code=Phase.Code.CONSOLIDATION,
            training_site__subdivision__region=campaign.region,
        )
        offers = [RoundPost(round=matching_round, post=p, seats=p.seats) for p in posts]
        residents = list(concerned_residents(campaign).values_list("pk", flat=True))
    else:
        taken = dict(
            MatchResult.objects.filter(round__campaign=campaign, offer__isnull=False)
            .values("offer__post_id")
            .annotate(n=Count("pk"))
            .values_list("offer__post_id", "n")
        )
        offers = [
            RoundPost(
                round=matching_round,
                post_id=o.post_id,
                seats=o.seats - taken.get(o.post_id, 0),
            )
            for o in previous.offers.all()
            if o.seats - taken.get(o.post_id, 0) > 0
        ]
        residents = list(
            MatchResult.objects.filter(round=previous, offer__isnull=True).values_list(
                "candidacy__resident_id", flat=True
            )
        )
    if not offers:
        _refuse(_("Aucun poste de phase de consolidation à proposer pour ce tour."))
    RoundPost.objects.bulk_create(offers)
    Candidacy.objects.bulk_create(
        [Candidacy(round=matching_round, resident_id=pk) for pk in residents]
    )
    return matching_round


# --- the resident's side ---------------------------------------------------------------


def _wishes_open(matching_round: MatchingRound, now: datetime) -> None:
    if not matching_round.wishes_are_open(now):
        _refuse(
            _("Les vœux de ce tour ne sont pas ouverts (du %(start)s au %(end)s).")
            % {
                "start": timezone.localtime(matching_round.wishes_open).strftime(
                    "%d/%m/%Y %H:%M"
                ),
                "end": timezone.localtime(matching_round.wishes_close).strftime(
                    "%d/%m/%Y %H:%M"
                ),
            }
        )


@transaction.atomic
def candidacy_file_set(
    *, by: User, candidacy: Candidacy, kind: str, upload, now: datetime | None = None
) -> Candidacy:
    """The CV, cover letter or training contract: PDF only, 5 Mo at most."""
    permissions.require_own_candidacy(by, candidacy)
    _wishes_open(candidacy.round, now or timezone.now())
    if kind not in FILE_ATTRIBUTE:
        _refuse(_("Pièce inconnue."))
    label = str(FILE_FIELDS[kind])
    label = label[0].upper() + label[1:]
    pdf_check(upload, label)
    field = getattr(candidacy, FILE_ATTRIBUTE[kind])
    field.save(f"{kind}.pdf", upload, save=False)
    audited(candidacy, by).save()
    return candidacy


@transaction.atomic
def wishes_submit(
    *,
    by: User,
    candidacy: Candidacy,
    hearts: dict[int, int],
    now: datetime | None = None,
) -> Candidacy:
    """Replaces her wishes (0 to 5 hearts per post offered in her specialty) and
    validates them.

    At least 4 wishes and at least 20 % of those posts; the three documents of
    the file must be there. Editable until the deadline.
    """
    permissions.require_own_candidacy(by, candidacy)
    matching_round = candidacy.round
    _wishes_open(matching_round, now or timezone.now())
    missing = [
        str(FILE_FIELDS[k])
        for k, attr in FILE_ATTRIBUTE.items()
        if not getattr(candidacy, attr)
    ]
    if missing:
        _refuse(_("Déposez d'abord : %(files)s.") % {"files": ", ".join(missing)})
    offers = set(offers_for(candidacy).values_list("pk", flat=True))
    if set(hearts) - offers:
        _refuse(_("Un poste choisi n'est pas proposé dans votre spécialité à ce tour."))
    for value in hearts.values():
        if not 0 <= value <= algorithm.MAX_HEARTS:
            _refuse(_("Chaque poste se note de 0 à 5 cœurs."))
    wished = sum(1 for v in hearts.values() if v > 0)
    # At least 4 and a fifth of the posts: all of them when fewer than 4 are offered.
    needed = min(
        len(offers),
        max(algorithm.MIN_WISHES, math.ceil(algorithm.MIN_WISH_SHARE * len(offers))),
    )
    if wished < needed:
        _refuse(
            _(
                "Vous avez noté %(count)s poste(s) : il en faut au moins %(needed)s "
                "(au moins 4 vœux et au moins 20 %% des %(offers)s postes proposés)."
            )
            % {"count": wished, "needed": needed, "offers": len(offers)}
        )
    candidacy.wishes.all().delete()
    Wish.objects.bulk_create(
        [
            Wish(candidacy=candidacy, offer_id=offer_id, hearts=value)
            for offer_id, value in sorted(hearts.items())
            if value > 0
        ]
    )
    candidacy.submitted_at = timezone.now()
    audited(candidacy, by).save()
    return candidacy


# --- the supervisor's side -------------------------------------------------------------


@transaction.atomic
def ranking_submit(
    *, by: User, offer: RoundPost, ranks: dict[int, int], now: datetime | None = None
) -> RoundPost:
    """His ranking of the applicants: 1..n, equal numbers are ties, 0 refuses.

    At least 80 % of the applicants must be ranked (a refusal is not a rank).
    """
    permissions.require_rank(by, offer)
    matching_round = offer.round
    if not matching_round.ranking_is_open(now or timezone.now()):
        _refuse(
            _("Les classements de ce tour ne sont pas ouverts (jusqu'au %(end)s).")
            % {
                "end": timezone.localtime(matching_round.ranking_close).strftime(
                    "%d/%m/%Y %H:%M"
                )
            }
        )
    candidates = set(applicants(offer).values_list("pk", flat=True))
    if set(ranks) - candidates:
        _refuse(_("Un candidat classé n'a pas demandé ce poste."))
    ranked = sum(1 for c in candidates if ranks.get(c, 0) > 0)
    needed = math.ceil(algorithm.MIN_RANKED_SHARE * len(candidates))
    if ranked < needed:
        _refuse(
            _(
                "Vous avez classé %(ranked)s candidat(s) sur %(total)s : il faut en "
                "classer au moins 80 %% (%(needed)s). 0 signifie « refusé »."
            )
            % {"ranked": ranked, "total": len(candidates), "needed": needed}
        )
    offer.ranks.all().delete()
    Rank.objects.bulk_create(
        [
            Rank(offer=offer, candidacy_id=c, rank=ranks.get(c, 0))
            for c in sorted(candidates)
        ]
    )
    offer.ranking_submitted_at = timezone.now()
    offer.ranking_submitted_by = by
    audited(offer, by).save()
    return offer


# --- reminders ---------------------------------------------------------------------------


def reminders_send(*, by: User, matching_round: MatchingRound, audience: str) -> int:
    """One e-mail to each candidate who has not validated her wishes, or each
    supervisor who has not ranked (`audience`); within the sender's perimeter."""
    permissions.require_remind(by, matching_round.campaign)
    if matching_round.status != RoundStatus.PREPARATION:
        _refuse(_("Ce tour est calculé : les relances sont closes."))
    if audience == Audience.CANDIDATES:
        ids = list(not_applied(by, matching_round).values_list("pk", flat=True))
    elif audience == Audience.SUPERVISORS:
        ids = list(not_ranked(by, matching_round).values_list("pk", flat=True))
    else:
        _refuse(_("Destinataires inconnus."))
    if ids:
        mailer.enqueue("domains.matching.tasks.send_reminders", str(audience), ids)
    return len(ids)


# --- computation, replay, publication ------------------------------------------------


def _output_hash(output: dict) -> str:
    canonical = json.dumps(output, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def run_start(
    *,
    by: User,
    matching_round: MatchingRound,
    exact: bool = False,
    now: datetime | None = None,
    background: bool = True,
    seed: int | None = None,
) -> MatchingRun:
    """Freezes wishes and rankings into a run and queues its computation (or leaves
    it to the caller, `background=False`, who then calls run_compute)."""
    permissions.require_run_campaign(by, matching_round.campaign)
    if matching_round.status == RoundStatus.PUBLISHED:
        _refuse(_("Ce tour est publié : il ne se recalcule plus."))
    if matching_round.manual:
        _refuse(_("Un tour par audition se décide poste par poste, sans calcul."))
    if (now or timezone.now()) < matching_round.ranking_close:
        _refuse(_("Le calcul se lance après la clôture des classements."))
    # The tie-breaking lottery: drawn here, stored with the run, replayed as is.
    seed = secrets.randbelow(2**31) if seed is None else seed
    data = round_instance(matching_round, seed)
    instance = algorithm.load_instance(data)
    run = MatchingRun.objects.create(
        round=matching_round,
        exact=exact,
        seed=seed,
        instance=data,
        input_hash=instance.input_hash(),
        created_by=by,
    )
    if background:
        transaction.on_commit(
            lambda: async_task("domains.matching.tasks.compute", run.pk)
        )
    return run


def run_compute(*, run: MatchingRun) -> MatchingRun:
    """Runs the algorithm on the run's frozen input (the django-q2 task calls this)."""
    MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=10)
    started = time.perf_counter()
    try:
        instance = algorithm.load_instance(run.instance)
        MatchingRun.objects.filter(pk=run.pk).update(progress=30)
        if run.exact:
            from .exact import solve_exact

            result = solve_exact(instance, time_limit=120)
        else:
            result = algorithm.solve(instance)
        MatchingRun.objects.filter(pk=run.pk).update(progress=80)
        problems = algorithm.check(instance, result)
        if problems:
            raise ValueError("; ".join(problems[:5]))
    except Exception as error:  # the run records why; the round stays as it was
        run.status = RunStatus.FAILED
        run.error = str(error)
        run.finished_at = timezone.now()
        run.save()
        return run
    with transaction.atomic():
        run.output = result.as_dict()
        run.output_hash = _output_hash(run.output)
        run.algorithm = result.algorithm
        run.optimal = result.optimal
        run.matched = result.matched
        run.unassigned = len(result.unassigned)
        run.duration_ms = int((time.perf_counter() - started) * 1000 + 0.5)
        run.status = RunStatus.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        if run.replay_of_id:
            run.identical = run.output_hash == run.replay_of.output_hash
        run.save()
        matching_round = MatchingRound.objects.select_for_update().get(pk=run.round_id)
        if run.replay_of_id is None and matching_round.status != RoundStatus.PUBLISHED:
            _move(matching_round, RoundStatus.COMPUTED, run.created_by)
    return run


@transaction.atomic
def run_replay(*, by: User, run: MatchingRun) -> MatchingRun:
    """Recomputes a finished run from its stored input and seed, to audit it: the
    replay says whether the result is identical, bit for bit."""
    permissions.require_run_campaign(by, run.round.campaign)
    if run.status != RunStatus.DONE:
        _refuse(_("Seul un calcul terminé se rejoue."))
    replay = MatchingRun.objects.create(
        round=run.round,
        exact=run.exact,
        seed=run.seed,
        instance=run.instance,
        input_hash=run.input_hash,
        replay_of=run,
        created_by=by,
    )
    transaction.on_commit(
        lambda: async_task("domains.matching.tasks.compute", replay.pk)
    )
    return replay


@transaction.atomic
def round_publish(
    *, by: User, matching_round: MatchingRound, run: MatchingRun
) -> MatchingRound:
    """Publishes a computation: results per candidate, e-mails to each resident and
    each supervisor of the round."""
    permissions.require_run_campaign(by, matching_round.campaign)
    matching_round = MatchingRound.objects.select_for_update().get(
        pk=matching_round.pk
    )  # one publisher
    if matching_round.manual:
        _refuse(_("Un tour par audition se publie sans calcul."))
    if (
        run.round_id != matching_round.pk
        or run.status != RunStatus.DONE
        or run.replay_of_id
    ):
        _refuse(_("Choisissez un calcul terminé de ce tour."))
    if timezone.now() < matching_round.ranking_close:
        _refuse(_("Les classements ne sont pas clos."))
    _move(matching_round, RoundStatus.PUBLISHED, by)
    matching_round.published_run = run
    matching_round.published_at = timezone.now()
    audited(matching_round, by).save()
    assignments = run.output["assignments"]
    results = []
    for candidacy in matching_round.candidacies.all():
        post = assignments.get(f"C{candidacy.pk}")
        results.append(
            MatchResult(
                round=matching_round,
                candidacy=candidacy,
                offer_id=int(post[1:]) if post else None,
            )
        )
    MatchResult.objects.bulk_create(results)
    _placements_record(matching_round, by)
    mailer.enqueue("domains.matching.tasks.send_results", matching_round.pk)
    return matching_round


def _placements_record(matching_round: MatchingRound, by) -> dict[str, int]:
    """The round's published outcomes become the residents' consolidation stages for
    the campaign's semester (on publication, and again after each correction)."""
    results = MatchResult.objects.filter(round=matching_round).select_related(
        "candidacy__resident__person",
        "offer__post__training_site",
        "offer__post__specialty",
    )
    return consolidation_placements_record(
        semester=matching_round.campaign.semester,
        assignments={
            r.candidacy.resident: r.offer.post if r.offer else None for r in results
        },
        source_posts=Post.objects.filter(matching_offers__round=matching_round),
        by=by,
    )


# --- the round by hearing ----------------------------------------------------------


def _offer_check(
    matching_round: MatchingRound, candidacy: Candidacy, offer: RoundPost | None
) -> None:
    """A post decided by hand (hearing, correction): offered in the round, in her
    specialty, with a seat left."""
    if offer is None:
        return
    if offer.round_id != matching_round.pk:
        _refuse(_("Ce poste n'est pas proposé dans ce tour."), "offer")
    if offer.post.specialty_id not in set(
        offers_for(candidacy).values_list("post__specialty_id", flat=True)
    ):
        _refuse(_("Ce poste n'est pas de la spécialité de l'interne."), "offer")
    taken = offer.results.exclude(candidacy=candidacy).count()
    if taken >= offer.seats:
        _refuse(
            _("Les %(n)s place(s) de ce poste sont déjà attribuées.")
            % {"n": offer.seats},
            "offer",
        )


@transaction.atomic
def manual_assign(
    *, by: User, candidacy: Candidacy, offer: RoundPost | None, note: str = ""
) -> MatchResult:
    """After the hearings, the ARS records a candidate's post (or none), within the
    seats left; changeable until publication."""
    matching_round = MatchingRound.objects.select_for_update().get(
        pk=candidacy.round_id
    )
    permissions.require_run_campaign(by, matching_round.campaign)
    if not matching_round.manual or matching_round.status != RoundStatus.PREPARATION:
        _refuse(_("Seul un tour par audition non publié s'affecte à la main."))
    _offer_check(matching_round, candidacy, offer)
    result, _created = MatchResult.objects.get_or_create(
        candidacy=candidacy, defaults={"round": matching_round}
    )
    result.offer = offer
    result.decided_by = by
    result.note = note.strip()
    audited(result, by).save()
    return result


@transaction.atomic
def manual_round_publish(*, by: User, matching_round: MatchingRound) -> MatchingRound:
    """Publishes the decisions of a round by hearing; those left without a decision
    are published without a post. Everybody is told by e-mail."""
    permissions.require_run_campaign(by, matching_round.campaign)
    matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    if not matching_round.manual:
        _refuse(_("Un tour calculé se publie depuis l'un de ses calculs."))
    _move(matching_round, RoundStatus.PUBLISHED, by)
    matching_round.published_at = timezone.now()
    audited(matching_round, by).save()
    MatchResult.objects.bulk_create(
        [
            MatchResult(round=matching_round, candidacy=c, decided_by=by)
            for c in matching_round.candidacies.filter(result__isnull=True)
        ]
    )
    _placements_record(matching_round, by)
    mailer.enqueue("domains.matching.tasks.send_results", matching_round.pk)
    return matching_round


# --- corrections after publication -------------------------------------------------


@transaction.atomic
def result_correct(
    *, by: User, result: MatchResult, offer: RoundPost | None, note: str
) -> MatchResult:
    """An error found after publication: the ARS corrects one outcome of the
    campaign's last round (another post with a seat left, or none), with its reason.
    The round's results are published again: the resident's consolidation stage
    moves with it (or goes), and she is told by e-mail."""
    matching_round = MatchingRound.objects.select_for_update().get(pk=result.round_id)
    permissions.require_run_campaign(by, matching_round.campaign)
    if matching_round.status != RoundStatus.PUBLISHED:
        _refuse(_("Seul un résultat publié se corrige."))
    if matching_round.campaign.rounds.filter(number__gt=matching_round.number).exists():
        _refuse(
            _(
                "Le tour suivant est ouvert sur les places restantes : les résultats "
                "de ce tour ne se corrigent plus."
            )
        )
    if not note.strip():
        _refuse(_("Indiquez le motif de la correction."), "note")
    candidacy = result.candidacy
    _offer_check(matching_round, candidacy, offer)
    if (offer.pk if offer else None) == result.offer_id:
        _refuse(_("Ce résultat est déjà celui-là."), "offer")
    result.offer = offer
    result.decided_by = by
    result.note = note.strip()
    audited(result, by).save()
    _placements_record(matching_round, by)
    mailer.enqueue("domains.matching.tasks.send_corrected_result", result.pk)
    return result
