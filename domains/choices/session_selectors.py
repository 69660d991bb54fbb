"""Reads of the choice sessions (amphis): who takes part, in which order, which posts
they choose from, the simulation and why each resident gets what it gives her. The
rule itself is domains/choices/amphi.py (pure); the writes are session_services.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from domains.referential.models import Post

from . import activity as a
from . import amphi
from .models import (
    ActivityLine,
    ActivityStatus,
    CallList,
    CallListEntry,
    ChoiceGroupMember,
    ChoiceSession,
)
from .selectors import visible_call_lists

SESSION_RELATED = (
    "call_list__semester",
    "call_list__subdivision__region",
    "call_list__specialty",
    "call_list__group",
    "call_list__phase",
)


def visible_sessions(user) -> QuerySet[ChoiceSession]:
    """The sessions of the call lists in reach (the ARS, the registry, the
    coordinators of the list's DES, DGOS and UNESS)."""
    return ChoiceSession.objects.filter(
        call_list__in=visible_call_lists(user).values("pk")
    ).select_related(*SESSION_RELATED)


def list_specialties(call_list: CallList) -> list[int]:
    """The DES whose residents the list calls: its own, or its group's."""
    if call_list.group_id:
        return list(
            ChoiceGroupMember.objects.filter(group_id=call_list.group_id).values_list(
                "specialty_id", flat=True
            )
        )
    return [call_list.specialty_id]


@dataclass(frozen=True)
class SessionPost:
    """A post as the session offers it: a couplé is one post on both its sites."""

    id: str  # the post's pk (a couplé's first half)
    label: str
    sites: tuple[str, ...]
    seats: int
    cesp: bool
    mixed: bool

    def as_amphi(self) -> amphi.Post:
        return amphi.Post(
            self.id, self.sites, self.seats, amphi.CESP if self.cesp else None
        )


def session_posts(call_list: CallList) -> list[SessionPost]:
    """The posts opened for the list's semester, subdivision and phase, for one of its
    DES (its own or, for a mixte, shared with it), by site name."""
    specialties = list_specialties(call_list)
    posts = (
        Post.objects.filter(
            semester_id=call_list.semester_id,
            training_site__subdivision_id=call_list.subdivision_id,
            phase_id=call_list.phase_id,
            coupled_from__isnull=True,  # a couplé's second half is offered with it
        )
        .filter(Q(specialty_id__in=specialties) | Q(shared_specialties__in=specialties))
        .distinct()
        .order_by("training_site__name", "pk")
        .values_list(
            "pk",
            "training_site_id",
            "training_site__name",
            "training_site__establishment__name",
            "seats",
            "cesp_reserved",
            "coupled_with__training_site_id",
            "coupled_with__training_site__name",
        )
    )
    posts = list(posts)
    mixed = set(
        Post.shared_specialties.through.objects.filter(
            post_id__in=[row[0] for row in posts]
        ).values_list("post_id", flat=True)
    )
    offered = []
    for pk, site, name, establishment, seats, cesp, other, other_name in posts:
        label = f"{name} ({establishment})"
        if other:
            label = f"{label} + {other_name}"
        offered.append(
            SessionPost(
                id=str(pk),
                label=label,
                sites=(str(site), str(other)) if other else (str(site),),
                seats=seats,
                cesp=cesp,
                mixed=pk in mixed,
            )
        )
    return offered


@dataclass(frozen=True)
class Participant:
    resident_id: int
    position: int | None  # call-list rank; None: a non-validating supernumerary
    supernumerary: str | None
    cesp: bool


def participants(call_list: CallList) -> list[Participant]:
    """Who chooses, in the order of the session: the call list's residents, then the
    non-validating supernumeraries of its DES and phase (they choose after everyone)."""
    kinds = dict(
        ActivityLine.objects.filter(
            semester_id=call_list.semester_id,
            subdivision_id=call_list.subdivision_id,
            resident_id__in=call_list.entries.values("resident_id"),
            kind=a.SUPERNUMERARY_VALIDATING,
        ).values_list("resident_id", "kind")
    )
    chosen = [
        Participant(
            resident_id,
            position,
            amphi.VALIDATING if resident_id in kinds else None,
            cesp,
        )
        for resident_id, position, cesp in call_list.entries.order_by(
            "position"
        ).values_list("resident_id", "position", "resident__cesp")
    ]
    chosen += [
        Participant(resident_id, None, amphi.NON_VALIDATING, cesp)
        for resident_id, cesp in supernumeraries_after(call_list).values_list(
            "resident_id", "resident__cesp"
        )
    ]
    return chosen


def supernumeraries_after(call_list: CallList) -> QuerySet[ActivityLine]:
    """The non-validating supernumeraries of the list's DES and phase: not on the
    list, they choose after everyone (by name)."""
    return ActivityLine.objects.filter(
        semester_id=call_list.semester_id,
        subdivision_id=call_list.subdivision_id,
        specialty_id__in=list_specialties(call_list),
        phase_id=call_list.phase_id,
        kind=a.SUPERNUMERARY_NON_VALIDATING,
        status=ActivityStatus.VALIDATED,
    ).order_by("resident__person__last_name", "resident__person__first_name", "pk")


def wishes_of(session: ChoiceSession) -> dict[int, list[str]]:
    return dict(session.wish_lists.values_list("resident_id", "posts"))


def instance(
    session: ChoiceSession,
) -> tuple[list[amphi.Post], list[amphi.Chooser], list[Participant]]:
    """The session as the pure rule reads it, with its participants in order."""
    people = participants(session.call_list)
    posts = [p.as_amphi() for p in session_posts(session.call_list)]
    offered = {p.id for p in posts}
    wishes = wishes_of(session)
    residents = [
        amphi.Chooser(
            str(p.resident_id),
            # A post withdrawn since she ranked it is no longer hers to wish.
            [w for w in wishes.get(p.resident_id, []) if w in offered],
            p.supernumerary,
            p.cesp,
        )
        for p in people
    ]
    return posts, residents, people


@dataclass(frozen=True)
class WishOutcome:
    """One of her wishes, as the simulation sees it at her turn."""

    post: SessionPost
    simulated: bool  # the post the simulation gives her
    above_hers: bool  # a wish she prefers to the simulated post (or she has none)
    taken_by: list[int]  # call-list ranks, above hers, of those who take it
    first_wish_of: int  # residents above her who rank it first


def my_outcomes(session: ChoiceSession, resident_id: int) -> list[WishOutcome]:
    """Each of her wishes with what the simulation says of it: for those she prefers
    to her simulated post, who above her takes it (their rank only, never their
    name) and how many above her rank it first."""
    posts = {p.id: p for p in session_posts(session.call_list)}
    people = participants(session.call_list)
    me = next((p for p in people if p.resident_id == resident_id), None)
    wishes = wishes_of(session)
    mine = [w for w in wishes.get(resident_id, []) if w in posts]
    if me is None or not mine:
        return []
    simulated = session.simulation.get("assignments", {})
    got = simulated.get(str(resident_id))
    last_rank = me.position if me.position is not None else len(people) + 1
    above = [p for p in people if p.position is not None and p.position < last_rank]
    taken_by: dict[str, list[int]] = defaultdict(list)
    first_of: dict[str, int] = defaultdict(int)
    for person in above:
        post = simulated.get(str(person.resident_id))
        if post and person.supernumerary is None:
            taken_by[post].append(person.position)
        theirs = wishes.get(person.resident_id)
        if theirs:
            first_of[theirs[0]] += 1
    outcomes = []
    preferred = True
    for wish in mine:
        is_got = wish == got
        if is_got:
            preferred = False
        outcomes.append(
            WishOutcome(
                post=posts[wish],
                simulated=is_got,
                above_hers=preferred and not is_got,
                taken_by=taken_by[wish],
                first_wish_of=first_of[wish],
            )
        )
    return outcomes


def my_session(user, semester) -> tuple[ChoiceSession, int] | None:
    """The amphi she chooses in for the semester, with her resident id: that of her
    call list, or for a non-validating supernumerary that of her DES and phase."""
    if semester is None or not user.is_authenticated:
        return None
    place = (
        CallListEntry.objects.filter(
            resident__person__user=user,
            call_list__semester=semester,
            call_list__session__isnull=False,
        )
        .values_list("call_list__session", "resident_id")
        .first()
    )
    if place:
        session = ChoiceSession.objects.select_related(*SESSION_RELATED).get(
            pk=place[0]
        )
        return session, place[1]
    line = (
        ActivityLine.objects.filter(
            resident__person__user=user,
            semester=semester,
            kind=a.SUPERNUMERARY_NON_VALIDATING,
            status=ActivityStatus.VALIDATED,
        )
        .values_list("resident_id", "subdivision_id", "specialty_id", "phase_id")
        .first()
    )
    if line is None:
        return None
    resident_id, subdivision_id, specialty_id, phase_id = line
    group = ChoiceGroupMember.objects.filter(
        subdivision_id=subdivision_id, specialty_id=specialty_id
    ).values("group_id")
    session = (
        ChoiceSession.objects.filter(
            call_list__semester=semester,
            call_list__subdivision_id=subdivision_id,
            call_list__phase_id=phase_id,
        )
        .filter(Q(call_list__specialty_id=specialty_id) | Q(call_list__group__in=group))
        .select_related(*SESSION_RELATED)
        .first()
    )
    return (session, resident_id) if session else None
