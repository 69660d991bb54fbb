"""Reads of the choice sessions (amphis): who takes part, in which order, which posts
they choose from, the simulation and why each resident gets what it gives her. The
rule itself is domains/choices/amphi.py (pure); the writes are session_services.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from domains.referential.models import (
    ACTIVE_ACCREDITATION_STATES,
    Accreditation,
    Phase,
    Post,
    Specialty,
)

from . import activity as a
from . import amphi
from .models import (
    ActivityLine,
    ActivityStatus,
    CallList,
    CallListEntry,
    ChoiceGroupMember,
    ChoiceSession,
    OpeningStatus,
    PostOpening,
    PreChoice,
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
        # "Cardiologie (CHU de Grenoble)", unless the site's name says it already.
        label = name if establishment in name else f"{name} ({establishment})"
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
    people: list[Participant] | None = None,
    offered_posts: list[SessionPost] | None = None,
) -> tuple[list[amphi.Post], list[amphi.Chooser], list[Participant]]:
    """The session as the pure rule reads it, with its participants in order
    (`people` and `offered_posts`: those the caller already read)."""
    if people is None:
        people = participants(session.call_list)
    if offered_posts is None:
        offered_posts = session_posts(session.call_list)
    posts = [p.as_amphi() for p in offered_posts]
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


# Pre-choice (pré-choix) ---------------------------------------------------------


def my_pre_choice_line(user, semester) -> ActivityLine | None:
    """Her validated semester activity line, when she chooses: it says in which DES,
    phase and subdivision her pre-choice is."""
    if semester is None or not user.is_authenticated:
        return None
    return (
        ActivityLine.objects.filter(
            resident__person__user=user,
            semester=semester,
            kind__in=a.CHOOSING,
            specialty__isnull=False,
            phase__isnull=False,
        )
        .select_related("resident", "specialty", "phase", "subdivision", "semester")
        .first()
    )


def pre_choice_sites(semester, subdivision, specialty, phase) -> list[Accreditation]:
    """The accreditations a resident of this DES and phase may rank: in the
    subdivision, in force on the semester's first day."""
    return list(
        Accreditation.objects.filter(
            specialty=specialty,
            phases=phase,
            training_site__subdivision=subdivision,
            state__in=ACTIVE_ACCREDITATION_STATES,
            start_date__lte=semester.start_date,
            end_date__gte=semester.start_date,
        )
        .select_related("training_site__establishment")
        .order_by("training_site__name", "pk")
    )


@dataclass(frozen=True)
class SiteDemand:
    accreditation: Accreditation
    first: int  # residents who rank it first
    top3: int  # among their first three
    total: int  # anywhere in their pre-choice


def pre_choice_demand(semester, subdivision, specialty, phase) -> list[SiteDemand]:
    """Per accredited site of a DES and phase, how many residents want it (first,
    in their first three, at all), most wanted first."""
    sites = {
        accreditation.pk: accreditation
        for accreditation in pre_choice_sites(semester, subdivision, specialty, phase)
    }
    choosers = ActivityLine.objects.filter(
        semester=semester,
        subdivision=subdivision,
        specialty=specialty,
        phase=phase,
        kind__in=a.CHOOSING,
    ).values("resident_id")
    counts = {pk: [0, 0, 0] for pk in sites}
    for ranked in PreChoice.objects.filter(
        semester=semester, resident_id__in=choosers
    ).values_list("accreditations", flat=True):
        for place, pk in enumerate(ranked):
            if pk in counts:
                counts[pk][2] += 1
                counts[pk][1] += place < 3
                counts[pk][0] += place == 0
    return sorted(
        (SiteDemand(sites[pk], *n) for pk, n in counts.items()),
        key=lambda d: (-d.first, -d.top3, -d.total, d.accreditation.training_site.name),
    )


def session_demand(session: ChoiceSession) -> dict[str, float]:
    """Each post's weight in the forecast, for those who have not ranked posts yet:
    the pre-choices of the session's residents for its sites (1 for a first place,
    1/2 for a second…), or nothing when nobody made one."""
    by_site: dict[int, float] = defaultdict(float)
    people = [p.resident_id for p in participants(session.call_list)]
    rows = list(
        PreChoice.objects.filter(
            semester_id=session.call_list.semester_id, resident_id__in=people
        ).values_list("accreditations", flat=True)
    )
    wanted = {pk for ranked in rows for pk in ranked}
    site_of = dict(
        Accreditation.objects.filter(pk__in=wanted).values_list(
            "pk", "training_site_id"
        )
    )
    for ranked in rows:
        for place, pk in enumerate(ranked):
            if pk in site_of:
                by_site[site_of[pk]] += 1 / (place + 1)
    if not by_site:
        return {}
    return {
        post.id: by_site.get(int(post.sites[0]), 0.0)
        for post in session_posts(session.call_list)
    }


def pre_choice_closed(line: ActivityLine) -> bool:
    """Posts are published in her subdivision: she now ranks them in Mes vœux."""
    return PostOpening.objects.filter(
        semester_id=line.semester_id,
        subdivision_id=line.subdivision_id,
        status=OpeningStatus.PUBLISHED,
    ).exists()


def demand_by_group(semester, subdivision) -> list[tuple]:
    """(DES, phase, the sites' demand) for each DES and phase of the subdivision
    whose residents made a pre-choice."""
    with_choice = PreChoice.objects.filter(semester=semester).values("resident_id")
    groups = (
        ActivityLine.objects.filter(
            semester=semester,
            subdivision=subdivision,
            kind__in=a.CHOOSING,
            resident_id__in=with_choice,
        )
        .values_list("specialty", "phase")
        .distinct()
    )
    specialties = {
        s.pk: s for s in Specialty.objects.filter(pk__in={g[0] for g in groups})
    }
    phases = {p.pk: p for p in Phase.objects.filter(pk__in={g[1] for g in groups})}
    return sorted(
        (
            (
                specialties[specialty_id],
                phases[phase_id],
                pre_choice_demand(
                    semester, subdivision, specialties[specialty_id], phases[phase_id]
                ),
            )
            for specialty_id, phase_id in groups
        ),
        key=lambda g: (g[0].label, g[1].order),
    )
