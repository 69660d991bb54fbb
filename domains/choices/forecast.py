"""The live forecast of a choice session, pure: no Django.

For one resident, the chance that each of her wishes still has a free seat at her turn,
and the chance that she gets it: a Monte Carlo over what is not known yet. Those above
her who entered their wishes take, in each draw, their first wish still free (as in
amphi.simulate); those who have not pick from the demand (the pre-choice's, or the
posts' seats when nobody said anything): each draws a few wishes in proportion to it.
Draws run side by side (numpy): one step per resident above her, whatever the draws.

Supernumeraries above her take no seat and are left out; for a supernumerary herself,
the forecast reads the seats only (not whether a site already has one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from .amphi import CESP, Chooser, Post

# Wishes drawn for a resident who has entered none: enough to find a free post in
# all but the most crowded draws.
DRAWN_WISHES = 12
SLOTS = 1 << 16


class Chance(NamedTuple):
    post: str
    free: float  # share of draws where a seat is still free at her turn
    gets: float  # share of draws where it is the post she gets


def forecast(
    posts: Sequence[Post],
    residents: Sequence[Chooser],
    resident_id: str,
    *,
    known: set[str] | None = None,
    demand: Mapping[str, float] | None = None,
    draws: int = 1000,
    seed: int = 0,
) -> list[Chance]:
    """Her wishes' chances. `residents` in call-list order; `known`: the ids of those
    whose wishes are entered (default: those with any); `demand`: a weight per post
    for the others (default: its seats)."""
    index = {p.id: i for i, p in enumerate(posts)}
    me = next((i for i, r in enumerate(residents) if r.id == resident_id), None)
    if me is None:
        raise ValueError(f"interne {resident_id} : absente de l'amphi")
    mine = residents[me]
    if not mine.wishes:
        return []
    seats = np.array([p.seats for p in posts], dtype=np.int32)
    cesp_only = np.array([p.reserved_for == CESP for p in posts], dtype=bool)
    weights = np.array(
        [
            float(demand.get(p.id, 0.0)) if demand is not None else float(p.seats)
            for p in posts
        ]
    )
    weights = weights + 1e-3  # every post may be drawn, the wanted ones far more
    # Drawing by table: 2**16 slots shared among the posts in proportion to their
    # weight (a post's share is right to 1/65,536), so a draw is one lookup.
    slots = np.arange(SLOTS) + 0.5
    table = {}
    for cesp in (False, True):
        cumulative = np.cumsum(np.where(cesp_only & (not cesp), 0.0, weights))
        table[cesp] = np.minimum(
            np.searchsorted(cumulative, slots * (cumulative[-1] / SLOTS)),
            len(posts) - 1,
        ).astype(np.intp)
    rng = np.random.default_rng(seed)
    # Post-major: a resident's wishes are a few contiguous rows of all the draws.
    left = np.repeat(seats[:, None], draws, axis=1)
    columns = np.arange(draws)
    above = [r for r in residents[:me] if r.supernumerary is None]
    guessed = [
        r for r in above if not (r.id in known if known is not None else bool(r.wishes))
    ]
    # The guessed residents' wishes, drawn for all of them at once.
    drawn: dict[str, np.ndarray] = {}
    for start in range(0, len(guessed), 256):
        chunk = guessed[start : start + 256]
        for cesp in (False, True):
            who = [r for r in chunk if r.cesp == cesp]
            if not who:
                continue
            picks = table[cesp][rng.integers(0, SLOTS, (len(who), DRAWN_WISHES, draws))]
            for r, rows in zip(who, picks, strict=True):
                drawn[r.id] = rows
    for resident in above:
        wished = drawn.get(resident.id)
        if wished is None:
            allowed = [
                w
                for w in map(index.__getitem__, resident.wishes)
                if resident.cesp or not cesp_only[w]
            ]
            if not allowed:
                continue  # nothing she may take: she takes no seat
            wished = np.array(allowed, dtype=np.intp)
            free = left[wished] > 0  # wishes × draws
            chosen = wished[free.argmax(axis=0)]
        else:
            free = left[wished, columns] > 0  # drawn wishes × draws
            chosen = wished[free.argmax(axis=0), columns]
        took = free.any(axis=0)
        # One seat per draw at most: each column appears once.
        left[chosen[took], columns[took]] -= 1
    left = left.T
    chances = []
    still_looking = np.ones(draws, dtype=bool)
    for wish in mine.wishes:
        column = index[wish]
        eligible = mine.cesp or not cesp_only[column]
        free = (left[:, column] > 0) & eligible
        gets = free & still_looking
        still_looking &= ~free
        chances.append(Chance(wish, float(free.mean()), float(gets.mean())))
    return chances
