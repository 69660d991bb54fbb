"""Exact maximum weakly stable matching: an integer program solved by HiGHS.

For instances up to about 1,500 residents. The approximation's result seeds the search
(so the answer is never smaller) and the time limit bounds it: on time-out the best
matching found is returned, marked not proven optimal.

The model stays linear in the wish lists through cumulative variables: A[i,t] counts
resident i's seats in her first t tiers, B[c,l] the seats of class c held by residents
it ranks l or better. Pair (i, c), in her tier t and its level l, cannot block when
cap(c) * A[i,t] + B[c,l] >= cap(c): either she holds a seat she likes as much, or c is
full with residents it ranks as well as her.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys

import numpy as np

from .algorithm import Compiled, Instance, Result, kiraly

EXACT_VERSION = "highs-ilp/1"


def solve_exact(instance: Instance, *, time_limit: float = 60.0) -> Result:
    import highspy

    cp = Compiled(instance)
    start = kiraly(cp, random.Random(instance.seed))
    if sum(c >= 0 for c in start) == _upper_bound(cp):
        # Everyone who could be placed is: nothing left to prove.
        return cp.result(start, algorithm=EXACT_VERSION, optimal=True)
    model = _Model()
    pair_col: dict[tuple[int, int], int] = {}
    tier_col: dict[tuple[int, int], int] = {}  # (i, c) -> A[i, tier of c]
    chains: list[tuple[int, list[int]]] = []  # (cumulative column, its pair columns)
    for i, tiers in enumerate(cp.tiers):
        previous = -1
        for tier in tiers:
            xs = []
            for c in tier:
                pair_col[i, c] = model.col(1.0, integer=True)
                xs.append(pair_col[i, c])
            previous = model.chain(previous, xs, 1.0, chains)
            for c in tier:
                tier_col[i, c] = previous
    levels: list[dict[int, list[int]]] = [{} for _ in cp.capacity]
    for i, c in pair_col:
        levels[c].setdefault(cp.rank[c][cp.resident_ids[i]], []).append(pair_col[i, c])
    level_col: dict[tuple[int, int], int] = {}  # (c, rank) -> B[c, rank]
    for c, by_rank in enumerate(levels):
        previous = -1
        for rk in sorted(by_rank):
            previous = model.chain(previous, by_rank[rk], cp.capacity[c], chains)
            level_col[c, rk] = previous
    for i, c in pair_col:
        cap = float(cp.capacity[c])
        model.row(
            cap,
            highspy.kHighsInf,
            [tier_col[i, c], level_col[c, cp.rank[c][cp.resident_ids[i]]]],
            [cap, 1.0],
        )

    h = model.highs(time_limit=time_limit, seed=instance.seed)
    warm = [0.0] * len(model.cost)
    for i, c in enumerate(start):
        if c >= 0:
            warm[pair_col[i, c]] = 1.0
    for column, xs in chains:  # in creation order, so each link's previous is done
        warm[column] = sum(warm[x] for x in xs) + model.previous_value(column, warm)
    solution = highspy.HighsSolution()
    solution.col_value = warm
    solution.value_valid = True
    h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    optimal = status == highspy.HighsModelStatus.kOptimal
    values = list(h.getSolution().col_value)
    assigned = [-1] * len(cp.resident_ids)
    if len(values) == len(model.cost):
        for (i, c), x in pair_col.items():
            if values[x] > 0.5:
                assigned[i] = c
    if sum(c >= 0 for c in assigned) < sum(c >= 0 for c in start):
        assigned, optimal = start, False
    notes = (
        []
        if optimal
        else [f"Optimalité non prouvée ({h.modelStatusToString(status)})."]
    )
    return cp.result(assigned, algorithm=EXACT_VERSION, optimal=optimal, notes=notes)


def _upper_bound(cp: Compiled) -> int:
    """No matching places more residents than have an acceptable post, nor more than
    the seats of the classes somebody finds acceptable."""
    wanted: set[int] = set()
    placeable = 0
    for tiers in cp.tiers:
        if tiers:
            placeable += 1
            for tier in tiers:
                wanted.update(tier)
    return min(placeable, sum(cp.capacity[c] for c in wanted))


@contextlib.contextmanager
def _banner_to_stderr():
    """HiGHS prints its banner on stdout before any option can silence it; the
    command line's stdout is the result JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _Model:
    """Columns and rows gathered in plain lists, handed to HiGHS in one go."""

    def __init__(self) -> None:
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[float, float, list[int], list[float]]] = []
        self.previous: dict[int, int] = {}

    def col(self, upper: float, *, integer: bool = False) -> int:
        self.upper.append(upper)
        self.cost.append(1.0 if integer else 0.0)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def row(self, lower: float, upper: float, idx: list[int], val: list[float]) -> None:
        self.rows.append((lower, upper, idx, val))

    def chain(self, previous: int, xs: list[int], upper: float, chains: list) -> int:
        """A new cumulative column = previous + sum(xs)."""
        column = self.col(float(upper))
        idx = [column, *xs]
        val = [1.0] + [-1.0] * len(xs)
        if previous >= 0:
            idx.append(previous)
            val.append(-1.0)
            self.previous[column] = previous
        self.row(0.0, 0.0, idx, val)
        chains.append((column, xs))
        return column

    def previous_value(self, column: int, values: list[float]) -> float:
        previous = self.previous.get(column, -1)
        return values[previous] if previous >= 0 else 0.0

    def highs(self, *, time_limit: float, seed: int):
        import highspy

        with _banner_to_stderr():
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("random_seed", seed % (2**31 - 1))
        h.setOptionValue("threads", 1)
        n = len(self.cost)
        every = np.arange(n, dtype=np.int32)
        h.addVars(n, np.zeros(n), np.array(self.upper))
        h.changeColsCost(n, every, np.array(self.cost))
        kinds = highspy.HighsVarType
        h.changeColsIntegrality(
            n,
            every,
            np.array(
                [kinds.kInteger if k else kinds.kContinuous for k in self.integer]
            ),
        )
        starts, indices, values, lower, upper = [], [], [], [], []
        for lo, up, idx, val in self.rows:
            starts.append(len(indices))
            indices.extend(idx)
            values.extend(val)
            lower.append(lo)
            upper.append(up)
        h.addRows(
            len(self.rows),
            np.array(lower),
            np.array(upper),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values),
        )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return h
