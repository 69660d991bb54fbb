"""Docteur Junior matching: our solver against the `matching` package and lotteries.

Run from the project root with the project's venv: `python -m benchmarks.matching`.
No database: the algorithm is pure. Seeded instances (popularity skewed, 4 tie levels
on both sides, seats = 107 % of residents):
- 5,000 residents x 20 wishes x 1,500 posts and 20,000 x 30 x 4,000: our time start to
  finish (read the JSON file + validate + solve + verify), median of 3; matched count;
  the `matching` package (PyPI) on the same instance with ties broken at random (it has
  no ties); plain random tie-breaking + Gale-Shapley, best of 5 lotteries.
  Goals (the issue sets them on 20,000 x 30): under 2 s, >= 50x faster than the
  package; and matched >= the best lottery on every instance.
- the exact mode (`--exact`, HiGHS) on 1,000 residents x 5 wishes x 300 posts: under
  60 s, proven optimal, at least as many matched as the approximation.
BENCH_QUICK=1 runs the 5,000 instance only (to try the script); a smoke run
(benchmarks/common.py) runs 300 x 10 x 100 once and the exact mode on 100 x 5 x 30.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.common import ROOT, Table, finish, sized
from domains.matching.algorithm import check, load_instance, solve
from domains.matching.exact import solve_exact

HEARTS = (5, 4, 3, 2)  # 4 tie levels
RANKS = (1, 2, 3, 4)


def generate(n_residents: int, n_wishes: int, n_posts: int, seed: int) -> dict:
    rng = random.Random(seed)
    subdivisions = [f"S{k}" for k in range(4)]
    # Skewed popularity: post k is chosen with weight 1 / (k + 10).
    weights = [1.0 / (k + 10) for k in range(n_posts)]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    # Seats do not follow popularity: many want the same few services.
    seats = [1] * n_posts
    for _ in range(round(n_residents * 1.07) - n_posts):
        seats[rng.randrange(n_posts)] += 1
    residents, rankings = [], [{} for _ in range(n_posts)]
    for r in range(n_residents):
        rid = f"R{r}"
        chosen: dict[int, None] = {}
        while len(chosen) < n_wishes:
            chosen[rng.choices(range(n_posts), cum_weights=cumulative)[0]] = None
        wishes = {}
        for position, p in enumerate(chosen):
            wishes[f"P{p}"] = HEARTS[position * len(HEARTS) // n_wishes]
            # Supervisors refuse a few and rank the others on 4 levels.
            rankings[p][rid] = 0 if rng.random() < 0.03 else rng.choice(RANKS)
        residents.append(
            {"id": rid, "subdivision": rng.choice(subdivisions), "wishes": wishes}
        )
    posts = [
        {
            "id": f"P{p}",
            "seats": seats[p],
            "subdivision": subdivisions[p % len(subdivisions)],
            "ranking": rankings[p],
        }
        for p in range(n_posts)
    ]
    return {
        "residents": residents,
        "posts": posts,
        "rules": {"local_priority": False},
        "seed": seed,
    }


def ours(path: str) -> tuple[float, float, int]:
    """The command line in a fresh process: its own figure from reading the file to
    the verified result (load + validate + solve + verify), and the process's wall
    time (interpreter start-up and imports included)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "domains.matching", "solve", path],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    assert done.returncode == 0 and "vérifié" in done.stderr, done.stderr
    summary = done.stderr.split(": ", 1)[1]
    matched = int(summary.split(" affectés")[0])
    elapsed = float(summary.split(", ")[3].rstrip(" s;").split(" s")[0])
    return elapsed, wall, matched


def strict_lists(data: dict, rng: random.Random):
    """Acceptable pairs only, ties broken by a lottery: one key per list entry."""
    rank = {p["id"]: p["ranking"] for p in data["posts"]}
    resident_prefs = {}
    for r in data["residents"]:
        ok = [
            p for p, h in r["wishes"].items() if h > 0 and rank[p].get(r["id"], 0) > 0
        ]
        resident_prefs[r["id"]] = sorted(
            ok, key=lambda p: (-r["wishes"][p], rng.random())
        )
    applicants: dict[str, list[str]] = {p["id"]: [] for p in data["posts"]}
    for rid, prefs in resident_prefs.items():
        for p in prefs:
            applicants[p].append(rid)
    post_prefs = {
        p: sorted(rs, key=lambda r: (rank[p][r], rng.random()))
        for p, rs in applicants.items()
    }
    return resident_prefs, post_prefs


def gale_shapley(resident_prefs, post_prefs, seats) -> int:
    """Resident-proposing deferred acceptance on strict lists; returns matched count."""
    import heapq

    position = {p: {r: k for k, r in enumerate(rs)} for p, rs in post_prefs.items()}
    held: dict[str, list[tuple[int, str]]] = {p: [] for p in post_prefs}
    next_choice = dict.fromkeys(resident_prefs, 0)
    free = list(resident_prefs)
    while free:
        r = free.pop()
        prefs = resident_prefs[r]
        while next_choice[r] < len(prefs):
            p = prefs[next_choice[r]]
            next_choice[r] += 1
            heap = held[p]
            key = -position[p][r]
            if len(heap) < seats[p]:
                heapq.heappush(heap, (key, r))
                break
            if key > heap[0][0]:
                _, out = heapq.heapreplace(heap, (key, r))
                free.append(out)
                break
    return sum(len(h) for h in held.values())


def package(data: dict) -> tuple[float, int]:
    from matching.games import HospitalResident

    resident_prefs, post_prefs = strict_lists(data, random.Random(1))
    post_prefs = {p: rs for p, rs in post_prefs.items() if rs}
    capacities = {p["id"]: p["seats"] for p in data["posts"] if p["id"] in post_prefs}
    resident_prefs = {r: ps for r, ps in resident_prefs.items() if ps}
    sys.setrecursionlimit(1_000_000)
    started = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(
        resident_prefs, post_prefs, capacities
    )
    solution = game.solve(optimal="resident")
    elapsed = time.perf_counter() - started
    return elapsed, sum(len(rs) for rs in solution.values())


def best_lottery(data: dict) -> int:
    seats = {p["id"]: p["seats"] for p in data["posts"]}
    return max(
        gale_shapley(*strict_lists(data, random.Random(100 + k)), seats)
        for k in range(5)
    )


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    sizes = [(5_000, 20, 1_500)] + ([] if quick else [(20_000, 30, 4_000)])
    sizes = sized(sizes, [(300, 10, 100)])
    exact_size = sized((1_000, 5, 300), (100, 5, 30))
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n_res, n_wishes, n_posts in sizes:
            label = f"{n_res} x {n_wishes} x {n_posts}"
            data = generate(n_res, n_wishes, n_posts, seed=2026)
            path = os.path.join(tmp, f"{n_res}.json")
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            runs = [ours(path) for _ in range(sized(5, 1))]
            ours_s = statistics.median(t for t, _, _ in runs)
            wall_s = statistics.median(w for _, w, _ in runs)
            matched = runs[0][2]
            lottery = best_lottery(data)
            pkg_s, pkg_matched = package(data)
            speedup = pkg_s / ours_s
            print(
                f"{label}: ours {ours_s:.2f} s (process {wall_s:.2f} s), {matched} "
                f"matched | matching package "
                f"{pkg_s:.1f} s ({pkg_matched} matched, ratio {speedup:.0f}x) | best "
                f"of 5 lotteries {lottery} matched (+{matched - lottery})",
                flush=True,
            )
            rows.append((label, ours_s, matched, pkg_s, speedup, lottery))
            if matched < lottery:
                failures.append(f"{label}: {matched} matched < lottery {lottery}")
            # The goals are set on the 20,000 x 30 instance.
            if n_res == 20_000 and speedup < 50:
                failures.append(f"{label}: only {speedup:.0f}x the package")
            if n_res == 20_000 and ours_s > 2.0:
                failures.append(f"{label}: {ours_s:.2f} s > 2 s")
    # Five wishes each: not everybody can be placed, so the maximum must be proven
    # (with 20 wishes the approximation places all 1,000 and the proof is trivial).
    exact_label = "exact {} x {} x {}".format(*exact_size)
    exact_data = generate(*exact_size, seed=2026)
    instance = load_instance(exact_data)
    started = time.perf_counter()
    exact = solve_exact(instance, time_limit=60)
    exact_s = time.perf_counter() - started
    approx = solve(instance)
    assert not check(instance, exact)
    print(
        f"{exact_label}: {exact_s:.1f} s, {exact.matched} matched, optimal="
        f"{exact.optimal} (approximation {approx.matched})"
    )
    if exact_s > 60 or not exact.optimal:
        failures.append(f"exact mode: {exact_s:.1f} s, optimal={exact.optimal}")

    print()
    table = Table(
        ("instance", 22, ""),
        ("ours (s)", 10, ".2f"),
        ("goal", 8, ""),
        ("package (s)", 13, ".1f"),
        ("ratio", 8, ""),
        ("matched", 9, "d"),
        ("lottery", 9, "d"),
    )
    for label, ours_s, matched, pkg_s, speedup, lottery in rows:
        goal = "2 s" if label.startswith("20000") else "-"
        table.row(label, ours_s, goal, pkg_s, f"{speedup:.0f}x", matched, lottery)
    table.row(
        exact_label.removesuffix(f" x {exact_size[2]}"),
        f"{exact_s:.1f}",
        "60 s",
        "",
        "",
        "",
        "",
    )
    summary = ", ".join(f"{label} {s:.2f} s {x:.0f}x" for label, s, _, _, x, _ in rows)
    return finish(failures, f"{summary}; exact {exact_size[0]} in {exact_s:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
