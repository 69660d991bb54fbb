"""The choice session's rule (amphi de choix), pure: no Django.

Residents choose in call-list order, one at a time (serial dictatorship): an ordinary
resident gets her first eligible wish that still has a free seat, and takes one seat.
A post reserved for CESP signatories is eligible to them only. Supernumeraries take no
seat, and a site receives at most one of them, of either kind:
- a *validating* supernumerary chooses at her rank, among the posts still free at her
  turn, the first whose site has no supernumerary yet;
- a *non-validating* one chooses after everyone, whatever her rank (in call-list order
  among them), any post whose site has no supernumerary yet, full or not.
A coupled post (couplé) is one post on two sites: a supernumerary there holds both.

`simulate` applies the rule; `violations` checks a result against it another way (from
seat counts at each turn, without replaying), so that every simulation and every
session can be verified by a second reading of the rule.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

CESP = "cesp"
VALIDATING = "validating"
NON_VALIDATING = "non_validating"
SUPERNUMERARY_KINDS = (None, VALIDATING, NON_VALIDATING)


class InstanceError(ValueError):
    """Bad input; the message names the resident or the post."""


class Post(NamedTuple):
    id: str
    sites: tuple[str, ...]  # one site; two for a couplé
    seats: int
    reserved_for: str | None = None  # None or CESP


class Chooser(NamedTuple):
    id: str
    wishes: Sequence[str]  # post ids, preferred first
    supernumerary: str | None = None  # None, VALIDATING or NON_VALIDATING
    cesp: bool = False


class Result(NamedTuple):
    assignments: dict[str, str]  # resident id → post id, in call-list order
    unassigned: list[str]

    def as_dict(self) -> dict:
        return {"assignments": self.assignments, "unassigned": self.unassigned}


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{what} : identifiant manquant ou qui n'est pas un texte")
    return value


def load(data) -> tuple[list[Post], list[Chooser]]:
    """Posts and residents (in call-list order) from the JSON instance, every rule of
    the format checked: the first fault found is raised, naming its post or resident."""
    if not isinstance(data, dict):
        raise InstanceError('l\'instance est un objet {"posts": […], "residents": […]}')
    raw_posts, raw_residents = data.get("posts"), data.get("residents")
    if not isinstance(raw_posts, list) or not isinstance(raw_residents, list):
        raise InstanceError("« posts » et « residents » sont deux listes")
    posts: list[Post] = []
    known: set[str] = set()
    for index, raw in enumerate(raw_posts, start=1):
        if not isinstance(raw, dict):
            raise InstanceError(f"poste n° {index} : un objet est attendu")
        post_id = _text(raw.get("id"), f"poste n° {index}")
        where = f"poste {post_id}"
        if post_id in known:
            raise InstanceError(f"{where} : identifiant en double")
        known.add(post_id)
        site = raw.get("site")
        sites = tuple(site) if isinstance(site, list) else (site,)
        if not sites or len(sites) > 2:
            raise InstanceError(f"{where} : un site, ou deux pour un poste couplé")
        for one in sites:
            _text(one, f"{where}, site")
        seats = raw.get("seats")
        if type(seats) is not int or seats < 0:
            raise InstanceError(
                f"{where} : « seats » est un nombre entier de places, positif ou nul "
                f"(reçu : {seats!r})"
            )
        reserved = raw.get("reserved_for")
        if reserved not in (None, CESP):
            raise InstanceError(
                f'{where} : « reserved_for » vaut null ou "cesp" (reçu : {reserved!r})'
            )
        posts.append(Post(post_id, sites, seats, reserved))
    residents: list[Chooser] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_residents, start=1):
        if not isinstance(raw, dict):
            raise InstanceError(f"interne n° {index} : un objet est attendu")
        resident_id = _text(raw.get("id"), f"interne n° {index}")
        wishes = raw.get("wishes")
        kind = raw.get("supernumerary")
        cesp = raw.get("cesp", False)
        # The common case checked at once; a fault is then named by _resident_fault.
        try:
            wished = set(wishes)
        except TypeError:
            wished = None
        if (
            resident_id in seen
            or not isinstance(wishes, list)
            or wished is None
            or len(wished) != len(wishes)
            or not known.issuperset(wished)
            or kind not in SUPERNUMERARY_KINDS
            or type(cesp) is not bool
        ):
            raise InstanceError(_resident_fault(raw, known, seen))
        seen.add(resident_id)
        # The decoded list as it is: nothing changes it, and a copy costs a fifth.
        residents.append(Chooser(resident_id, wishes, kind, cesp))
    return posts, residents


def _resident_fault(raw: dict, known: set[str], seen: set[str]) -> str:
    """What is wrong with a resident of the instance, in her name."""
    who = f"interne {raw['id']}"
    if raw["id"] in seen:
        return f"{who} : identifiant en double"
    wishes = raw.get("wishes")
    if not isinstance(wishes, list):
        return f"{who} : « wishes » est la liste de ses vœux"
    for index, wish in enumerate(wishes):
        if not isinstance(wish, str):
            return f"{who} : chaque vœu est l'identifiant d'un poste (reçu : {wish!r})"
        if wish not in known:
            return f"{who} : vœu pour un poste inconnu, {wish}"
        if wish in wishes[:index]:
            return f"{who} : le poste {wish} est demandé deux fois"
    kind = raw.get("supernumerary")
    if kind not in SUPERNUMERARY_KINDS:
        return (
            f'{who} : « supernumerary » vaut null, "validating" ou '
            f'"non_validating" (reçu : {kind!r})'
        )
    return f"{who} : « cesp » vaut true ou false"


def simulate(posts: list[Post], residents: list[Chooser]) -> Result:
    """Every resident's post under the rule (module docstring)."""
    left = {p.id: p.seats for p in posts}
    sites = {p.id: p.sites for p in posts}
    reserved = {p.id for p in posts if p.reserved_for == CESP}
    held_sites: set[str] = set()  # sites that received a supernumerary
    assignments: dict[str, str] = {}
    later: list[Chooser] = []
    for resident in residents:
        kind = resident.supernumerary
        if kind == NON_VALIDATING:
            later.append(resident)
            continue
        for wish in resident.wishes:
            if left[wish] <= 0 or (wish in reserved and not resident.cesp):
                continue
            if kind is None:
                left[wish] -= 1
            elif held_sites.isdisjoint(sites[wish]):
                held_sites.update(sites[wish])
            else:
                continue
            assignments[resident.id] = wish
            break
    for resident in later:
        for wish in resident.wishes:
            if (wish not in reserved or resident.cesp) and held_sites.isdisjoint(
                sites[wish]
            ):
                held_sites.update(sites[wish])
                assignments[resident.id] = wish
                break
    # In call-list order, as the residents came.
    ordered = {r.id: assignments[r.id] for r in residents if r.id in assignments}
    return Result(ordered, [r.id for r in residents if r.id not in assignments])


def violations(
    posts: list[Post], residents: list[Chooser], result: Result
) -> list[str]:
    """What in `result` breaks the rule, from counts at each turn rather than a
    replay: an empty list when every resident got her first wish still open to her
    at her turn (or nothing when none was)."""
    by_id = {p.id: p for p in posts}
    problems: list[str] = []
    given = result.assignments
    order = {r.id: i for i, r in enumerate(residents)}
    if set(given) & set(result.unassigned) or set(given) | set(
        result.unassigned
    ) != set(order):
        return ["chaque interne est soit affecté, soit sans poste, une seule fois"]
    # The turns at which each post lost a seat, and each site got a supernumerary.
    taken: dict[str, list[int]] = defaultdict(list)
    site_turns: dict[str, list[int]] = defaultdict(list)
    last = len(residents)  # non-validating supernumeraries choose after everyone
    for resident in residents:
        post_id = given.get(resident.id)
        if post_id is None:
            continue
        post = by_id.get(post_id)
        if post is None or post_id not in resident.wishes:
            problems.append(f"{resident.id} : {post_id} n'est pas l'un de ses vœux")
            continue
        turn = order[resident.id]
        if resident.supernumerary is None:
            taken[post_id].append(turn)
        else:
            at = turn if resident.supernumerary == VALIDATING else last + turn
            for site in post.sites:
                site_turns[site].append(at)
    for turns in site_turns.values():
        turns.sort()
    for post_id, turns in taken.items():
        if len(turns) > by_id[post_id].seats:
            problems.append(
                f"{post_id} : {len(turns)} internes pour {by_id[post_id].seats} places"
            )
    for site, turns in site_turns.items():
        if len(turns) > 1:
            problems.append(f"site {site} : {len(turns)} surnombres")

    def free_at(post: Post, turn: int) -> bool:
        return bisect_left(taken[post.id], turn) < post.seats

    def site_free_at(post: Post, turn: int) -> bool:
        return all(bisect_left(site_turns[s], turn) == 0 for s in post.sites)

    for resident in residents:
        kind = resident.supernumerary
        turn = order[resident.id] + (last if kind == NON_VALIDATING else 0)
        got = given.get(resident.id)
        for wish in resident.wishes:
            post = by_id[wish]
            open_to_her = post.reserved_for != CESP or resident.cesp
            if kind is None:
                open_to_her = open_to_her and free_at(post, turn)
            elif kind == VALIDATING:
                open_to_her = (
                    open_to_her and free_at(post, turn) and site_free_at(post, turn)
                )
            else:
                open_to_her = open_to_her and site_free_at(post, turn)
            if wish == got:
                if not open_to_her:
                    problems.append(f"{resident.id} : {wish} ne lui était pas ouvert")
                break
            if open_to_her:
                problems.append(
                    f"{resident.id} : {wish}, préféré, lui était encore ouvert à son tour"
                )
                break
    return problems
