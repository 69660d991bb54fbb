"""Reads of the matching domain, scoped to who asks; the algorithm's frozen input."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from domains.people.roles import Role
from domains.people.selectors import active_functions
from domains.referential.models import Phase
from domains.referential.perimeters import campaign_rules
from domains.referential.selectors import perimeter_q, site_rules
from domains.residents.models import Enrolment, EnrolmentState, PhasePeriod, Resident
from domains.residents.selectors import resident_rules

from . import algorithm
from .models import (
    Candidacy,
    MatchingCampaign,
    MatchingRound,
    MatchingRun,
    MatchResult,
    Rank,
    RoundPost,
    RoundStatus,
    Wish,
)

SUPERVISING_ROLES = (Role.SITE_SUPERVISOR, Role.PRACTITIONER)


def visible_campaigns(user) -> QuerySet[MatchingCampaign]:
    return (
        MatchingCampaign.objects.filter(
            perimeter_q(user, campaign_rules(by_specialty=MatchingCampaign))
        )
        .select_related("region", "semester")
        .annotate(round_count=Count("rounds"))
    )


def visible_candidacies(user, matching_round: MatchingRound) -> QuerySet[Candidacy]:
    """The round's candidacies of the residents the user sees (a faculty registry: its
    subdivision; a coordinator: his specialty there; the ARS: the region)."""
    return matching_round.candidacies.filter(
        perimeter_q(user, resident_rules("resident__"))
    ).select_related("resident__person", "resident__subdivision")


def visible_offers(user, matching_round: MatchingRound) -> QuerySet[RoundPost]:
    return matching_round.offers.filter(
        perimeter_q(user, site_rules("post__training_site__"))
    ).select_related(
        "post__training_site__establishment",
        "post__training_site__subdivision",
        "post__specialty",
    )


def _supervised_sites(user) -> list[int]:
    return [
        f.training_site_id
        for f in active_functions(user)
        if f.role in SUPERVISING_ROLES and f.training_site_id
    ]


def supervised_offers(user) -> QuerySet[RoundPost]:
    """Posts offered on the sites the user supervises (RTS or MSU), with counts."""
    applicants = Wish.objects.filter(
        offer_id=OuterRef("pk"),
        hearts__gt=0,
        candidacy__submitted_at__isnull=False,
    )
    return (
        RoundPost.objects.filter(post__training_site_id__in=_supervised_sites(user))
        .select_related(
            "round__campaign", "post__training_site", "post__specialty", "post__phase"
        )
        .annotate(
            applicant_count=Coalesce(
                Subquery(
                    applicants.values("offer_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .order_by("-round__ranking_close", "post__training_site__name", "pk")
    )


def applicants(offer: RoundPost) -> QuerySet[Candidacy]:
    """Who applied to the post (submitted, at least one heart), with the rank given."""
    wished = Wish.objects.filter(offer=offer, hearts__gt=0).values("candidacy_id")
    return (
        Candidacy.objects.filter(submitted_at__isnull=False, pk__in=wished)
        .select_related("resident__person", "resident__subdivision")
        .annotate(
            current_rank=Subquery(
                Rank.objects.filter(offer=offer, candidacy_id=OuterRef("pk")).values(
                    "rank"
                )[:1]
            )
        )
        .order_by("resident__person__last_name", "resident__person__first_name", "pk")
    )


def offers_for(candidacy: Candidacy) -> QuerySet[RoundPost]:
    """The posts of her round in her own specialty: the ones she may wish for."""
    specialty = (
        Enrolment.objects.filter(
            resident_id=candidacy.resident_id, state=EnrolmentState.ACTIVE
        )
        .order_by()
        .values("specialty_id")[:1]
    )  # one active enrolment: no sort needed
    return (
        candidacy.round.offers.filter(post__specialty_id=Subquery(specialty))
        .select_related("post__training_site__establishment", "post__specialty")
        .order_by("post__training_site__name", "pk")
    )


def candidacies_of(user) -> QuerySet[Candidacy]:
    return (
        Candidacy.objects.filter(resident__person__user=user)
        .select_related("round__campaign", "round__published_run")
        .order_by("-round__wishes_open")
    )


def may_see_file(user, candidacy: Candidacy) -> bool:
    """The resident herself, a supervisor of a post she wished, or an administrator
    whose perimeter holds her."""
    if candidacy.resident.person.user_id == user.pk:
        return True
    if Wish.objects.filter(
        candidacy=candidacy,
        hearts__gt=0,
        offer__post__training_site_id__in=_supervised_sites(user),
    ).exists():
        return True
    return visible_candidacies(user, candidacy.round).filter(pk=candidacy.pk).exists()


def concerned_residents(campaign: MatchingCampaign) -> QuerySet[Resident]:
    """Residents of the region in a campaign specialty, at the end of the
    approfondissement phase or already in consolidation.

    Uncorrelated IN subqueries: PostgreSQL hashes them once, whatever its statistics
    say (correlated EXISTS were planned as nested loops on fresh tables)."""
    enrolled = Enrolment.objects.filter(
        state=EnrolmentState.ACTIVE,
        specialty__in=campaign.specialties.values("pk"),
    ).values("resident_id")
    in_phase = PhasePeriod.objects.filter(
        enrolment__state=EnrolmentState.ACTIVE,
        actual_end__isnull=True,
        phase__code__in=[Phase.Code.APPROFONDISSEMENT, Phase.Code.CONSOLIDATION],
    ).values("enrolment__resident_id")
    return (
        Resident.objects.filter(subdivision__region_id=campaign.region_id)
        .filter(pk__in=enrolled)
        .filter(pk__in=in_phase)
        .order_by("pk")
    )


# --- the algorithm's input -----------------------------------------------------------


def round_instance(matching_round: MatchingRound, seed: int) -> dict:
    """The frozen input of a computation, in the algorithm's INSTANCE.json format.

    Residents are "C<candidacy pk>", posts "O<offer pk>": a run names nobody.
    """
    candidacies = {
        c.pk: c.resident.subdivision.code
        for c in matching_round.candidacies.filter(
            submitted_at__isnull=False
        ).select_related("resident__subdivision")
    }
    wishes: dict[int, dict[str, int]] = {pk: {} for pk in candidacies}
    for candidacy_id, offer_id, hearts in Wish.objects.filter(
        candidacy_id__in=candidacies, hearts__gt=0
    ).values_list("candidacy_id", "offer_id", "hearts"):
        wishes[candidacy_id][f"O{offer_id}"] = hearts
    offers = list(
        matching_round.offers.select_related(
            "post__training_site__subdivision"
        ).order_by("pk")
    )
    rankings: dict[int, dict[str, int]] = {o.pk: {} for o in offers}
    for offer_id, candidacy_id, rank in Rank.objects.filter(
        offer__round=matching_round, candidacy_id__in=candidacies
    ).values_list("offer_id", "candidacy_id", "rank"):
        rankings[offer_id][f"C{candidacy_id}"] = rank
    return {
        "residents": [
            {"id": f"C{pk}", "subdivision": sub, "wishes": wishes[pk]}
            for pk, sub in sorted(candidacies.items())
        ],
        "posts": [
            {
                "id": f"O{o.pk}",
                "seats": o.seats,
                "subdivision": o.post.training_site.subdivision.code,
                "ranking": rankings[o.pk],
            }
            for o in offers
        ],
        "rules": {"local_priority": matching_round.campaign.local_priority},
        "seed": seed,
    }


# --- dashboards and results --------------------------------------------------------


@dataclass
class RoundDashboard:
    round: MatchingRound
    offers: int
    seats: int
    concerned: int
    submitted: int
    not_applied: list[Candidacy]
    rankings_done: int
    not_ranked: list[RoundPost]
    runs: list[MatchingRun]
    matched: int | None
    unmatched: int | None
    hearing: list[Candidacy] | None = None  # a round by hearing: who, decided or not
    seats_left: list[RoundPost] | None = None
    # The campaign's last round, published: its results may still be corrected.
    correctable: list[Candidacy] | None = None


def not_applied(user, matching_round: MatchingRound) -> QuerySet[Candidacy]:
    """Concerned residents (in the user's perimeter) who have not validated wishes."""
    return visible_candidacies(user, matching_round).filter(submitted_at__isnull=True)


def offers_with_applicants(user, matching_round: MatchingRound) -> QuerySet[RoundPost]:
    applied = Wish.objects.filter(
        offer__round=matching_round, hearts__gt=0, candidacy__submitted_at__isnull=False
    ).values("offer_id")
    return visible_offers(user, matching_round).annotate(
        has_applicants=ExpressionWrapper(Q(pk__in=applied), output_field=BooleanField())
    )


def not_ranked(user, matching_round: MatchingRound) -> QuerySet[RoundPost]:
    """Posts somebody applied to whose ranking is still awaited."""
    return offers_with_applicants(user, matching_round).filter(
        has_applicants=True, ranking_submitted_at__isnull=True
    )


def round_dashboard(
    user, matching_round: MatchingRound, last: bool = False
) -> RoundDashboard:
    """`last`: the campaign's last round (a published one is still correctable)."""
    offered = list(offers_with_applicants(user, matching_round))
    candidacies = visible_candidacies(user, matching_round)
    results = MatchResult.objects.filter(
        round=matching_round, candidacy__in=candidacies
    )
    published = matching_round.status == RoundStatus.PUBLISHED
    correctable = published and last
    return RoundDashboard(
        round=matching_round,
        offers=len(offered),
        seats=sum(o.seats for o in offered),
        concerned=candidacies.count(),
        submitted=candidacies.filter(submitted_at__isnull=False).count(),
        not_applied=list(not_applied(user, matching_round)[:200]),
        rankings_done=sum(1 for o in offered if o.ranking_submitted_at),
        not_ranked=[
            o for o in offered if o.has_applicants and o.ranking_submitted_at is None
        ],
        runs=list(matching_round.runs.select_related("created_by")[:10]),
        matched=results.filter(offer__isnull=False).count() if published else None,
        unmatched=results.filter(offer__isnull=True).count() if published else None,
        hearing=list(candidacies.select_related("result__offer__post__training_site"))
        if matching_round.manual
        else None,
        seats_left=list(
            offers_with_applicants(user, matching_round)
            .annotate(taken=Count("results"))
            .filter(seats__gt=F("taken"))
        )
        if (matching_round.manual and not published) or correctable
        else None,
        correctable=list(
            candidacies.filter(result__isnull=False).select_related(
                "result__offer__post__training_site"
            )
        )
        if correctable
        else None,
    )


def results_rows(user, matching_round: MatchingRound) -> list[list]:
    """One row per visible candidate of a published round, for the XLSX export."""
    rows = []
    for result in (
        MatchResult.objects.filter(
            round=matching_round,
            candidacy__in=visible_candidacies(user, matching_round),
        )
        .select_related(
            "candidacy__resident__person",
            "candidacy__resident__subdivision",
            "offer__post__training_site__establishment",
            "offer__post__specialty",
        )
        .order_by("candidacy__resident__person__last_name", "pk")
    ):
        person = result.candidacy.resident.person
        offer = result.offer
        rows.append(
            [
                person.last_name,
                person.first_name,
                result.candidacy.resident.subdivision.name,
                offer.post.training_site.name if offer else "",
                offer.post.training_site.establishment.name if offer else "",
                offer.post.specialty.label if offer else "",
                "affecté(e)" if offer else "non affecté(e)",
            ]
        )
    return rows


REASON_TEXT = {
    algorithm.ASSIGNED: "Poste obtenu.",
    algorithm.RANKED_ABOVE: (
        "Toutes les places qui vous étaient ouvertes sont allées à des candidats que "
        "le responsable a classés avant vous."
    ),
    algorithm.TIE_BROKEN: (
        "Les places sont allées à des candidats classés avant vous ou à égalité avec "
        "vous ; l'égalité a été départagée par l'algorithme."
    ),
    algorithm.NOT_RANKED: "Le responsable ne vous a pas classé(e) pour ce poste.",
    algorithm.NO_SEAT_FOR_YOU: "Aucune place de ce poste ne vous était ouverte.",
    algorithm.RATED_LOWER: "Vous l'avez noté moins bien que le poste obtenu.",
    algorithm.RATED_EQUAL: "Vous l'avez noté autant que le poste obtenu.",
}


def explanations(candidacy: Candidacy) -> list[dict]:
    """Why she got, or did not get, each post she wished — naming nobody else."""
    matching_round = candidacy.round
    run = matching_round.published_run
    if matching_round.status != RoundStatus.PUBLISHED or run is None:
        return []
    result = getattr(candidacy, "result", None)
    if result is not None and result.decided_by_id:
        return []  # corrected after publication: the computation no longer explains it
    instance = algorithm.load_instance(run.instance)
    key = f"C{candidacy.pk}"
    if key not in {r.id for r in instance.residents}:
        return []
    result = algorithm.Result(
        assignments=run.output["assignments"], unassigned=run.output["unassigned"]
    )
    offers = {
        f"O{o.pk}": o
        for o in matching_round.offers.select_related(
            "post__training_site__establishment", "post__specialty"
        )
    }
    return [
        {
            "offer": offers[row["post"]],
            "hearts": row["hearts"],
            "reason": row["reason"],
            "text": REASON_TEXT[row["reason"]],
        }
        for row in algorithm.explain(instance, result, key)
    ]
