"""Docteur Junior matching: a maximum-size weakly stable matching with ties (HRT).

Pure Python, no Django: plain data in, plain data out, so the command line
(`python -m domains.matching solve INSTANCE.json`), the tests and the platform all run
the very same code.

Vocabulary. Residents propose; posts rank. A resident rates posts 1 to 5 hearts (higher
is better, equal hearts are a tie, 0 or absent means never); a post ranks applicants
1..n (1 is best, equal numbers are a tie, 0 or absent means refused). A pair is
acceptable when both accept. With the local priority rule a post of several seats is
cut into seat classes: some seats open to residents of the post's subdivision, the
others to the rest of the region; each resident is eligible to exactly one class of a
post, so the rule costs nothing in list length and stability is judged per class.

The solver is Király's local approximation for maximum stable marriage with ties
(Algorithms 6(3), 2013), carried over to posts with capacities: residents go through
their list twice, first as "lads" then, having been turned down everywhere, as
"bachelors" whom a post prefers to a lad it ranks equally; within a tie a resident
first asks the posts that still have a free seat, and while he could still get such a
seat he is "uncertain": a post ranking a newcomer equal to him gives his seat away, as
he loses nothing. A post only ever gives a seat to someone it ranks at least as well
as the one who leaves, so its worst assignee never gets worse, which is what makes the
result weakly stable; the tie rules are what make it large (3/2 of the maximum at
worst, usually far closer). Work is linear in the total length of the wish lists.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import heapq
import json
import random
from dataclasses import dataclass, field
from typing import Any

ALGORITHM_VERSION = "kiraly-hrt/1"
MIN_WISHES = 4
MIN_WISH_SHARE = 0.20
MIN_RANKED_SHARE = 0.80
MAX_HEARTS = 5
HEART_VALUES = frozenset(range(MAX_HEARTS + 1))

LOCAL = "local"
REGION = "region"
ALL = "all"


class InstanceError(ValueError):
    """The instance is malformed; the message says where."""


@dataclass(frozen=True)
class Resident:
    id: str
    subdivision: str
    wishes: dict[str, int]


@dataclass(frozen=True)
class Post:
    id: str
    seats: int
    subdivision: str
    ranking: dict[str, int]


@dataclass(frozen=True)
class Instance:
    residents: tuple[Resident, ...]
    posts: tuple[Post, ...]
    local_priority: bool = False
    seed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "residents": [
                {"id": r.id, "subdivision": r.subdivision, "wishes": r.wishes}
                for r in self.residents
            ],
            "posts": [
                {
                    "id": p.id,
                    "seats": p.seats,
                    "subdivision": p.subdivision,
                    "ranking": p.ranking,
                }
                for p in self.posts
            ],
            "rules": {"local_priority": self.local_priority},
            "seed": self.seed,
        }

    def input_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal hashes, equal inputs, equal results."""
        canonical = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Result:
    assignments: dict[str, str]
    unassigned: list[str]
    algorithm: str = ALGORITHM_VERSION
    optimal: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return len(self.assignments)

    def as_dict(self) -> dict[str, Any]:
        return {"assignments": self.assignments, "unassigned": self.unassigned}


# --- loading and validation -------------------------------------------------------


def _int(value: Any, where: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where} : un nombre entier est attendu, pas {value!r}.")
    if value < low or (high is not None and value > high):
        bounds = f"entre {low} et {high}" if high is not None else f"au moins {low}"
        raise InstanceError(f"{where} : {value} n'est pas {bounds}.")
    return value


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where} : un identifiant texte non vide est attendu.")
    return value


def load_instance(data: Any) -> Instance:
    """Validate plain data (the INSTANCE.json format) into an Instance."""
    if not isinstance(data, dict):
        raise InstanceError("L'instance doit être un objet JSON.")
    raw_posts = data.get("posts")
    raw_residents = data.get("residents")
    if not isinstance(raw_posts, list) or not isinstance(raw_residents, list):
        raise InstanceError(
            "L'instance doit contenir les listes « residents » et « posts »."
        )
    posts: list[Post] = []
    post_ids: set[str] = set()
    for n, raw in enumerate(raw_posts, start=1):
        if not isinstance(raw, dict):
            raise InstanceError(f"Poste n° {n} : un objet est attendu.")
        pid = _id(raw.get("id"), f"Poste n° {n}, id")
        if pid in post_ids:
            raise InstanceError(f"Poste {pid} : identifiant en double.")
        post_ids.add(pid)
        ranking = raw.get("ranking", {})
        if not isinstance(ranking, dict):
            raise InstanceError(f"Poste {pid} : « ranking » doit être un objet.")
        ranks = ranking.values()
        if not ({int}.issuperset(map(type, ranks)) and min(ranks, default=0) >= 0):
            for rid, rank in ranking.items():  # slow path, to say which one
                _int(rank, f"Poste {pid}, rang de {rid}", 0)
        posts.append(
            Post(
                id=pid,
                seats=_int(raw.get("seats"), f"Poste {pid}, places", 0),
                subdivision=str(raw.get("subdivision", "")),
                ranking=ranking,
            )
        )
    residents: list[Resident] = []
    resident_ids: set[str] = set()
    for n, raw in enumerate(raw_residents, start=1):
        if not isinstance(raw, dict):
            raise InstanceError(f"Interne n° {n} : un objet est attendu.")
        rid = _id(raw.get("id"), f"Interne n° {n}, id")
        if rid in resident_ids:
            raise InstanceError(f"Interne {rid} : identifiant en double.")
        resident_ids.add(rid)
        wishes = raw.get("wishes", {})
        if not isinstance(wishes, dict):
            raise InstanceError(f"Interne {rid} : « wishes » doit être un objet.")
        if not (
            post_ids.issuperset(wishes)
            and HEART_VALUES.issuperset(wishes.values())
            and {int}.issuperset(map(type, wishes.values()))
        ):
            for pid, hearts in wishes.items():  # slow path, to say which one
                if pid not in post_ids:
                    raise InstanceError(
                        f"Interne {rid} : vœu pour un poste inconnu ({pid})."
                    )
                _int(hearts, f"Interne {rid}, cœurs pour {pid}", 0, MAX_HEARTS)
        residents.append(
            Resident(id=rid, subdivision=str(raw.get("subdivision", "")), wishes=wishes)
        )
    for post in posts:
        if not resident_ids.issuperset(post.ranking):
            unknown = next(r for r in post.ranking if r not in resident_ids)
            raise InstanceError(
                f"Poste {post.id} : classe un interne inconnu ({unknown})."
            )
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise InstanceError("« rules » doit être un objet.")
    return Instance(
        residents=tuple(residents),
        posts=tuple(posts),
        local_priority=bool(rules.get("local_priority", False)),
        seed=_int(data.get("seed", 0), "seed", 0),
    )


# --- the compiled form every routine below works on -------------------------------


@contextlib.contextmanager
def gc_paused():
    """Hundreds of thousands of small dicts and lists are built and none is cyclic:
    the cyclic collector would only rescan them, again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Compiled:
    """Indices instead of ids; seat classes; each resident's acceptable tiers.

    tiers[i] lists resident i's acceptable seat classes grouped by hearts, best first
    (tier_hearts[i] the hearts of each tier); rank[c] maps resident id -> the post's
    rank of him, for the residents eligible to class c whom it did not refuse.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.resident_ids = [r.id for r in instance.residents]
        self.class_post: list[int] = []  # class -> post index
        self.class_kind: list[str] = []
        self.capacity: list[int] = []
        self.rank: list[dict[str, int]] = []
        # post index -> (class for its subdivision, class for the others)
        self.classes_of: list[tuple[int, int]] = []
        subdivision_of = {r.id: r.subdivision for r in instance.residents}
        for k, post in enumerate(instance.posts):
            # Pairs are acceptable iff ranked here: drop refusals, and everybody when
            # the post has no seat. The input's own dict serves when nothing is dropped.
            ranks = post.ranking
            if post.seats <= 0:
                ranks = {}
            elif 0 in ranks.values():
                ranks = {rid: rk for rid, rk in ranks.items() if rk > 0}
            c = len(self.capacity)
            if instance.local_priority and post.seats >= 2:
                local_seats = 1 + (post.seats - 1) // 2
                self._add_class(k, LOCAL, local_seats, {})
                self._add_class(k, REGION, post.seats - local_seats, {})
                for rid, rk in ranks.items():
                    same = subdivision_of[rid] == post.subdivision
                    self.rank[c if same else c + 1][rid] = rk
                self.classes_of.append((c, c + 1))
            else:
                self._add_class(k, ALL, post.seats, ranks)
                self.classes_of.append((c, c))
        self.post_index = {p.id: k for k, p in enumerate(instance.posts)}
        # post id -> class, per subdivision (one class per post: the post's own index)
        class_by_id: dict[str, dict[str, int]] = {}
        if instance.local_priority:
            for sub in set(subdivision_of.values()):
                class_by_id[sub] = {
                    p.id: self.classes_of[k][0 if p.subdivision == sub else 1]
                    for k, p in enumerate(instance.posts)
                }
        self.tiers: list[list[list[int]]] = []
        self.tier_hearts: list[list[int]] = []
        rank = self.rank
        for resident in instance.residents:
            classes = class_by_id.get(resident.subdivision, self.post_index)
            rid = resident.id
            buckets: list[list[int]] = [[] for _ in range(MAX_HEARTS + 1)]
            for pid, h in resident.wishes.items():
                if h > 0:
                    c = classes[pid]
                    if rid in rank[c]:
                        buckets[h].append(c)
            self.tiers.append([b for b in reversed(buckets) if b])
            self.tier_hearts.append([h for h in range(MAX_HEARTS, 0, -1) if buckets[h]])

    def _add_class(self, post: int, kind: str, seats: int, ranks: dict) -> None:
        self.class_post.append(post)
        self.class_kind.append(kind)
        self.capacity.append(seats)
        self.rank.append(ranks)

    def pair_hearts(self, i: int, c: int) -> int:
        """Hearts resident i gave class c when the pair is acceptable, else 0."""
        k = self.class_post[c]
        hearts = self.instance.residents[i].wishes.get(self.instance.posts[k].id, 0)
        acceptable = self.resident_ids[i] in self.rank[c]
        return hearts if acceptable and self.class_of(i, k) == c else 0

    def hearts(self, i: int) -> dict[int, int]:
        """Resident i's acceptable classes -> the hearts she gave them."""
        return {
            c: h
            for tier, h in zip(self.tiers[i], self.tier_hearts[i], strict=True)
            for c in tier
        }

    def class_of(self, resident: int, post: int) -> int:
        local, other = self.classes_of[post]
        same = self.instance.residents[resident].subdivision == (
            self.instance.posts[post].subdivision
        )
        return local if same else other

    def result(self, assigned: list[int], **extra: Any) -> Result:
        posts = self.instance.posts
        assignments = {}
        unassigned = []
        for i, c in enumerate(assigned):
            if c < 0:
                unassigned.append(self.resident_ids[i])
            else:
                assignments[self.resident_ids[i]] = posts[self.class_post[c]].id
        return Result(assignments=assignments, unassigned=unassigned, **extra)

    def assigned_classes(self, result: Result) -> list[int]:
        """Result (ids) -> class per resident index, -1 when unassigned."""
        out = [-1] * len(self.resident_ids)
        index = {rid: i for i, rid in enumerate(self.resident_ids)}
        for rid, pid in result.assignments.items():
            i = index[rid]
            out[i] = self.class_of(i, self.post_index[pid])
        return out


# --- the approximation -------------------------------------------------------------

LAD, BACHELOR = 0, 1


def solve(instance: Instance, *, compiled: Compiled | None = None) -> Result:
    """Király's 3/2-approximation: weakly stable, as large as the tie rules can make it."""
    with gc_paused():
        cp = compiled or Compiled(instance)
        return cp.result(kiraly(cp, random.Random(instance.seed)))


def kiraly(cp: Compiled, rng: random.Random) -> list[int]:
    n = len(cp.resident_ids)
    capacity = cp.capacity
    rank = cp.rank
    ids = cp.resident_ids
    # Ties on the residents' side are broken by the seed (the order of asking), each
    # tier shuffled when its resident first reaches it: most never leave their first.
    tiers = list(cp.tiers)
    shuffled = [0] * n
    assigned = [-1] * n
    phase = [LAD] * n
    level = [0] * n  # current tier
    free_at = [0] * n  # scan for a free seat in the current tier
    next_at = [0] * n  # sequential proposals once the tier is full
    count = [0] * len(capacity)
    # class -> rank -> (lads, bachelors), dicts used as ordered sets
    groups: list[dict[int, tuple[dict, dict]]] = [{} for _ in capacity]
    worst_heap: list[list[int]] = [[] for _ in capacity]
    # Seated while a free seat was left in their tier: perhaps still "uncertain".
    maybe_uncertain: list[list[int]] = [[] for _ in capacity]
    # Best rank the class ever turned away: its worst assignee must stay within it.
    threshold = [1 << 62] * len(capacity)

    def free_seat_in_tier(i: int) -> bool:
        # Seated, this is Király's "uncertain" resident: losing his seat costs nothing.
        tier = tiers[i][level[i]]
        f = free_at[i]
        while f < len(tier) and count[tier[f]] >= capacity[tier[f]]:
            f += 1
        free_at[i] = f
        return f < len(tier)

    def seat(i: int, c: int, in_free_stage: bool) -> None:
        assigned[i] = c
        count[c] += 1
        rk = rank[c][ids[i]]
        group = groups[c].get(rk)
        if group is None:
            group = groups[c][rk] = ({}, {})
            heapq.heappush(worst_heap[c], -rk)
        group[phase[i]][i] = None
        if in_free_stage:
            maybe_uncertain[c].append(i)

    def unseat(c: int, i: int, turned_away: bool) -> None:
        rk = rank[c][ids[i]]
        group = groups[c][rk]
        del group[phase[i]][i]
        count[c] -= 1
        assigned[i] = -1
        if not group[0] and not group[1]:
            del groups[c][rk]
            heap = worst_heap[c]
            while heap and -heap[0] not in groups[c]:
                heapq.heappop(heap)
        tier = tiers[i][level[i]]
        if turned_away and next_at[i] < len(tier) and tier[next_at[i]] == c:
            next_at[i] += 1  # an uncertain one may ask again later, he lost nothing

    def an_uncertain(c: int) -> int:
        candidates = maybe_uncertain[c]
        while candidates:
            i = candidates[-1]
            if assigned[i] == c and free_seat_in_tier(i):
                return i
            candidates.pop()  # certainty, once reached, lasts while he sits here
        return -1

    def consider(c: int, i: int) -> int:
        """Full class c hears i: -2 refused, else the resident it lets go (i seated)."""
        rk = rank[c][ids[i]]
        worst = -worst_heap[c][0]
        leaver = an_uncertain(c) if rk <= threshold[c] else -1
        if leaver >= 0:
            unseat(c, leaver, False)
            return leaver
        group = groups[c][worst]
        if rk < worst:
            leaver = next(reversed(group[LAD] or group[BACHELOR]))
        elif rk == worst and phase[i] == BACHELOR and group[LAD]:
            leaver = next(reversed(group[LAD]))
        else:
            threshold[c] = min(threshold[c], rk)
            return -2
        threshold[c] = min(threshold[c], worst)
        unseat(c, leaver, True)
        return leaver

    pending = list(range(n))
    rng.shuffle(pending)
    while pending:
        i = pending.pop()
        while True:
            ts = tiers[i]
            if level[i] >= len(ts):
                if phase[i] == LAD and ts:
                    phase[i] = BACHELOR
                    level[i] = free_at[i] = next_at[i] = 0
                    continue
                break  # turned down everywhere twice: unassigned
            if level[i] == shuffled[i]:
                if ts is cp.tiers[i]:
                    tiers[i] = ts = list(ts)
                if len(ts[level[i]]) > 1:
                    ts[level[i]] = rng.sample(ts[level[i]], len(ts[level[i]]))
                shuffled[i] += 1
            tier = ts[level[i]]
            if free_seat_in_tier(i):
                seat(i, tier[free_at[i]], True)
                break
            k = next_at[i]
            if k >= len(tier):
                level[i] += 1
                free_at[i] = next_at[i] = 0
                continue
            c = tier[k]
            leaver = consider(c, i)
            if leaver == -2:
                next_at[i] = k + 1
                continue
            seat(i, c, False)
            pending.append(leaver)  # asks again at once, while his free seat is free
            break
    return assigned


# --- checks ------------------------------------------------------------------------


def check(instance: Instance, result: Result, *, compiled: Compiled | None = None):
    """Every reason the result is not a valid weakly stable matching (empty when it is).

    Linear: one pass over the assignments, one over the wish lists.
    """
    with gc_paused():
        return _check(compiled or Compiled(instance), result)


def _check(cp: Compiled, result: Result) -> list[str]:
    problems: list[str] = []
    index = {rid: i for i, rid in enumerate(cp.resident_ids)}
    seen = set(result.assignments) | set(result.unassigned)
    if seen != set(index) or len(result.assignments) + len(result.unassigned) != len(
        index
    ):
        problems.append("Chaque interne doit être soit affecté, soit non affecté.")
        return problems
    for rid, pid in result.assignments.items():
        if pid not in cp.post_index:
            problems.append(f"{rid} affecté au poste inconnu {pid}.")
    if problems:
        return problems
    assigned = cp.assigned_classes(result)
    count = [0] * len(cp.capacity)
    worst = [0] * len(cp.capacity)
    for i, c in enumerate(assigned):
        if c < 0:
            continue
        if cp.pair_hearts(i, c) <= 0:
            problems.append(
                f"{cp.resident_ids[i]} affecté à "
                f"{cp.instance.posts[cp.class_post[c]].id} sans accord des deux côtés."
            )
            continue
        count[c] += 1
        worst[c] = max(worst[c], cp.rank[c][cp.resident_ids[i]])
    for c, n in enumerate(count):
        if n > cp.capacity[c]:
            problems.append(
                f"Poste {cp.instance.posts[cp.class_post[c]].id} : {n} affectés "
                f"pour {cp.capacity[c]} place(s) ({cp.class_kind[c]})."
            )
    capacity, rank = cp.capacity, cp.rank
    for i, (tiers, tier_hearts) in enumerate(
        zip(cp.tiers, cp.tier_hearts, strict=True)
    ):
        rid = cp.resident_ids[i]
        own = cp.pair_hearts(i, assigned[i]) if assigned[i] >= 0 else 0
        for tier, hearts in zip(tiers, tier_hearts, strict=True):
            if hearts <= own:
                break  # only the posts she prefers to her own can block
            for c in tier:
                if count[c] < capacity[c] or rank[c][rid] < worst[c]:
                    problems.append(
                        f"Paire bloquante : {cp.resident_ids[i]} et "
                        f"{cp.instance.posts[cp.class_post[c]].id}."
                    )
    return problems


# --- explanations ------------------------------------------------------------------

RANKED_ABOVE = "ranked_above"
TIE_BROKEN = "tie_broken"
NOT_RANKED = "not_ranked"
RATED_LOWER = "rated_lower"
RATED_EQUAL = "rated_equal"
ASSIGNED = "assigned"
NO_SEAT_FOR_YOU = "no_seat_for_you"


def explain(instance: Instance, result: Result, resident_id: str) -> list[dict]:
    """For each post the resident wished for: why she got it or not, naming nobody.

    Reasons: assigned; ranked_above (every seat open to her went to candidates the
    supervisor ranked strictly above her); tie_broken (to candidates ranked above her or
    equal with her, the tie settled by the algorithm); not_ranked (the supervisor did
    not rank or refused her); no_seat_for_you (no seat of that post open to her
    subdivision under the local priority rule); rated_lower / rated_equal (she rated it
    below / as her assignment).
    """
    cp = Compiled(instance)
    i = cp.resident_ids.index(resident_id)
    resident = instance.residents[i]
    assigned = cp.assigned_classes(result)
    mine = assigned[i]
    own_hearts = cp.pair_hearts(i, mine) if mine >= 0 else 0
    targets = {
        cp.class_of(i, cp.post_index[pid])
        for pid, h in resident.wishes.items()
        if h > 0
    }
    worst = dict.fromkeys(targets, 0)
    count = dict.fromkeys(targets, 0)
    for j, c in enumerate(assigned):
        if c in worst:
            count[c] += 1
            worst[c] = max(worst[c], cp.rank[c][cp.resident_ids[j]])
    out = []
    ordered = sorted(resident.wishes.items(), key=lambda kv: (-kv[1], kv[0]))
    for pid, hearts in ordered:
        if hearts <= 0:
            continue
        c = cp.class_of(i, cp.post_index[pid])
        if c == mine:
            reason = ASSIGNED
        elif hearts < own_hearts:
            reason = RATED_LOWER
        elif hearts == own_hearts:
            reason = RATED_EQUAL
        elif cp.capacity[c] == 0:
            reason = NO_SEAT_FOR_YOU
        elif resident_id not in cp.rank[c]:
            reason = NOT_RANKED
        elif worst[c] < cp.rank[c][resident_id]:
            reason = RANKED_ABOVE
        else:
            reason = TIE_BROKEN
        out.append({"post": pid, "hearts": hearts, "reason": reason})
    return out
