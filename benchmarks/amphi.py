"""The choice session's rule and forecast (issue 21), side by side with their anchor.

Run from the project root with the project's venv: `python -m benchmarks.amphi`.
No database: amphi.py and forecast.py are pure. Seeded instances (popularity skewed,
1 in 40 posts reserved for CESP signatories, 1 in 50 coupled, 1 resident in 200 a
validating supernumerary and 1 in 333 a non-validating one):
- `python -m domains.choices simulate` on 20,000 residents x 30 wishes x 4,000 posts,
  start to finish as a process, median of 5, against the anchor: a bare `json.load`
  of the same file in a process of its own, median of 5. Goals: < 1 s and <= 2.5x the
  anchor. Every result is read again by `amphi.violations` (0 violations).
- the in-process recompute of an Île-de-France group (5,500 residents x 30 wishes x
  1,400 posts) after one wish changes (what `wishes_save` runs, the database aside):
  < 50 ms, median of 7.
- the live forecast of the group's last resident (the longest: 5,499 residents above
  her, half of them guessed from the demand), 1,000 draws: < 2 s, median of 3.
A smoke run (benchmarks/common.py) runs 2,000 x 10 x 400 once and judges nothing.
"""

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, Table, finish, sized
from domains.choices import amphi
from domains.choices.forecast import forecast


def generate(n_residents: int, n_wishes: int, n_posts: int, seed: int) -> dict:
    rng = random.Random(seed)
    posts = [
        {
            "id": f"P{i}",
            "site": [f"S{i}", f"S{i + 1}"] if i % 50 == 49 else f"S{i}",
            "seats": rng.randint(3, 8),
            "reserved_for": "cesp" if i % 40 == 0 else None,
        }
        for i in range(n_posts)
    ]
    # Skewed popularity: post k is wished with weight 1 / (k + 10).
    cumulative, total = [], 0.0
    for k in range(n_posts):
        total += 1.0 / (k + 10)
        cumulative.append(total)
    ids = [p["id"] for p in posts]
    residents = []
    for r in range(n_residents):
        chosen: dict[str, None] = {}
        while len(chosen) < n_wishes:
            chosen[ids[rng.choices(range(n_posts), cum_weights=cumulative)[0]]] = None
        residents.append(
            {
                "id": f"R{r}",
                "wishes": list(chosen),
                "supernumerary": "validating"
                if r % 200 == 199
                else ("non_validating" if r % 333 == 332 else None),
                "cesp": r % 25 == 0,
            }
        )
    return {"posts": posts, "residents": residents}


def process_s(*command: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    size = sized((20_000, 30, 4_000), (2_000, 10, 400))
    group = sized((5_500, 30, 1_400), (500, 10, 100))
    repeat = sized(5, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "instance.json"
        data = generate(*size, seed=2026)
        path.write_text(json.dumps(data), encoding="utf-8")
        command = (sys.executable, "-m", "domains.choices", "simulate", str(path))
        anchor = (sys.executable, "-c", "import json,sys; json.load(open(sys.argv[1]))")
        ours = statistics.median(process_s(*command) for _ in range(repeat))
        bare = statistics.median(process_s(*anchor, str(path)) for _ in range(repeat))
        done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        result = amphi.Result(**json.loads(done.stdout))
        posts, residents = amphi.load(data)
        wrong = amphi.violations(posts, residents, result)

    # An Île-de-France group: 5,500 residents, half of them have entered wishes.
    data = generate(*group, seed=7)
    posts, residents = amphi.load(data)
    rng = random.Random(3)
    timings = []
    for _ in range(sized(7, 1)):
        who = rng.randrange(len(residents))
        changed = residents[who]._replace(wishes=list(reversed(residents[who].wishes)))
        residents[who] = changed
        started = time.perf_counter()
        amphi.simulate(posts, residents)
        timings.append((time.perf_counter() - started) * 1000)
    recompute = statistics.median(timings)
    guessed = [r._replace(wishes=[]) if i % 2 else r for i, r in enumerate(residents)]
    last = residents[-1]._replace(supernumerary=None)
    guessed[-1] = last
    forecast_s = statistics.median(
        _timed(lambda: forecast(posts, guessed, last.id, draws=1000))
        for _ in range(sized(3, 1))
    )

    label = "{} x {} x {}".format(*size)
    group_label = "{} x {} x {}".format(*group)
    table = Table(
        ("case", 52, ""),
        ("ours", 10, ".3f"),
        ("goal", 8, ""),
        ("anchor", 10, ".3f"),
        ("ratio", 8, ".2f"),
    )
    ratio = ours / bare
    table.row(
        f"simulate, process, {label} (s)",
        ours,
        "< 1",
        bare,
        ratio,
        miss=f"simulate {ours:.2f} s, {ratio:.2f}x json.load"
        if ours >= 1 or ratio > 2.5
        else "",
    )
    table.row(
        "  violations of the rule in its result (count)",
        float(len(wrong)),
        "0",
        0.0,
        0.0,
        miss=f"{len(wrong)} violations" if wrong else "",
    )
    table.row(
        f"recompute after one wish, {group_label} (ms)",
        recompute,
        "< 50",
        50.0,
        recompute / 50,
        miss=f"recompute {recompute:.0f} ms" if recompute >= 50 else "",
    )
    table.row(
        f"forecast, last of {group[0]}, 1,000 draws (s)",
        forecast_s,
        "< 2",
        2.0,
        forecast_s / 2,
        miss=f"forecast {forecast_s:.2f} s" if forecast_s >= 2 else "",
    )
    print(
        "anchor: a bare json.load of the same file as a process; ratio ours/anchor "
        "(for the in-process rows, ours/goal)"
    )
    return finish(
        table.misses,
        f"simulate {ours:.2f} s ({ratio:.2f}x json.load), recompute "
        f"{recompute:.0f} ms, forecast {forecast_s:.2f} s",
    )


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
