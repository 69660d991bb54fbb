"""The pure matching algorithm: stability, capacity, acceptability, size, explanations.

No database: these run in milliseconds, so hypothesis can try hundreds of instances.
"""

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domains.matching.algorithm import (
    ASSIGNED,
    NOT_RANKED,
    RANKED_ABOVE,
    RATED_EQUAL,
    RATED_LOWER,
    TIE_BROKEN,
    Compiled,
    InstanceError,
    Result,
    check,
    explain,
    load_instance,
    solve,
)
from domains.matching.exact import solve_exact

ROOT = Path(__file__).resolve().parents[2]


def instance(residents, posts, *, local_priority=False, seed=0):
    return load_instance(
        {
            "residents": [
                {"id": rid, "subdivision": sub, "wishes": wishes}
                for rid, sub, wishes in residents
            ],
            "posts": [
                {"id": pid, "seats": seats, "subdivision": sub, "ranking": ranking}
                for pid, seats, sub, ranking in posts
            ],
            "rules": {"local_priority": local_priority},
            "seed": seed,
        }
    )


def brute_force_maximum(inst) -> int:
    """Largest weakly stable matching, by trying every assignment (tiny instances)."""
    cp = Compiled(inst)
    options = [[-1, *cp.hearts(i)] for i in range(len(cp.resident_ids))]
    best = -1
    for choice in itertools.product(*options):
        size = sum(c >= 0 for c in choice)
        if size <= best:
            continue
        if any(choice.count(c) > cap for c, cap in enumerate(cp.capacity)):
            continue
        if not check(inst, cp.result(list(choice)), compiled=cp):
            best = size
    return best


@st.composite
def small_instances(draw, max_residents=6, max_posts=3):
    n_res = draw(st.integers(1, max_residents))
    n_posts = draw(st.integers(1, max_posts))
    subs = ["S1", "S2"]
    residents = []
    for r in range(n_res):
        wishes = {
            f"P{p}": draw(st.integers(0, 5))
            for p in range(n_posts)
            if draw(st.booleans())
        }
        residents.append((f"R{r}", draw(st.sampled_from(subs)), wishes))
    posts = []
    for p in range(n_posts):
        ranking = {
            rid: draw(st.integers(0, 3))
            for rid, _, wishes in residents
            if f"P{p}" in wishes
        }
        posts.append(
            (f"P{p}", draw(st.integers(0, 3)), draw(st.sampled_from(subs)), ranking)
        )
    return instance(
        residents,
        posts,
        local_priority=draw(st.booleans()),
        seed=draw(st.integers(0, 1000)),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_approximation_is_stable_within_capacity_and_at_least_two_thirds_of_the_maximum(
    inst,
):
    result = solve(inst)
    assert check(inst, result) == []
    best = brute_force_maximum(inst)
    assert 3 * result.matched >= 2 * best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_residents=5))
def test_exact_mode_finds_the_brute_force_maximum(inst):
    result = solve_exact(inst, time_limit=20)
    assert check(inst, result) == []
    assert result.optimal is True
    assert result.matched == brute_force_maximum(inst)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(max_residents=25, max_posts=6))
def test_larger_instances_stay_stable_and_never_beat_the_proven_maximum(inst):
    approximation = solve(inst)
    assert check(inst, approximation) == []
    exact = solve_exact(inst, time_limit=20)
    assert check(inst, exact) == []
    assert exact.optimal is True
    assert 3 * approximation.matched >= 2 * exact.matched
    assert exact.matched >= approximation.matched


def test_ties_treated_well_match_everybody_where_a_bad_tie_break_leaves_one_out():
    # R1 likes P1 and P2 equally; R2 only wants P1. Both posts have one seat. Asking P1
    # first (a plain tie-break) would leave R2 out; the free-seat rule places both.
    inst = instance(
        [("R1", "S", {"P1": 5, "P2": 5}), ("R2", "S", {"P1": 5})],
        [("P1", 1, "S", {"R1": 1, "R2": 1}), ("P2", 1, "S", {"R1": 1})],
    )
    for seed in range(10):
        result = solve(load_instance({**inst.as_dict(), "seed": seed}))
        assert result.assignments == {"R1": "P2", "R2": "P1"}


def test_promoted_resident_wins_a_tie_against_a_first_round_one():
    # Classic case where the bachelor rule matters: R1 is tied with R2 at P1, but R2
    # could go elsewhere (P2) while R1 has only P1.
    inst = instance(
        [("R1", "S", {"P1": 5}), ("R2", "S", {"P1": 5, "P2": 3})],
        [("P1", 1, "S", {"R1": 1, "R2": 1}), ("P2", 1, "S", {"R2": 1})],
    )
    for seed in range(10):
        result = solve(load_instance({**inst.as_dict(), "seed": seed}))
        assert result.matched == 2
        assert result.assignments == {"R1": "P1", "R2": "P2"}


def test_strict_instances_give_the_resident_optimal_matching_of_the_matching_package():
    import random

    from matching.games import HospitalResident

    rng = random.Random(7)
    for trial in range(30):
        n_res, n_posts = rng.randint(3, 25), rng.randint(2, 8)
        residents = []
        for r in range(n_res):
            chosen = rng.sample(range(n_posts), rng.randint(1, min(5, n_posts)))
            wishes = {f"P{p}": 5 - k for k, p in enumerate(chosen)}
            residents.append((f"R{r}", "S", wishes))
        posts = []
        for p in range(n_posts):
            applicants = [rid for rid, _, w in residents if f"P{p}" in w]
            rng.shuffle(applicants)
            ranking = {rid: k + 1 for k, rid in enumerate(applicants)}
            posts.append((f"P{p}", rng.randint(1, 3), "S", ranking))
        inst = instance(residents, posts, seed=trial)
        ours = solve(inst)
        game = HospitalResident.create_from_dictionaries(
            {rid: sorted(w, key=lambda p: -w[p]) for rid, _, w in residents},
            {pid: sorted(rk, key=rk.get) for pid, _, _, rk in posts if rk},
            {pid: seats for pid, seats, _, rk in posts if rk},
        )
        theirs = {
            r.name: h.name
            for h, rs in game.solve(optimal="resident").items()
            for r in rs
        }
        assert ours.assignments == theirs


def test_checker_reports_a_blocking_pair_an_over_full_post_and_an_unacceptable_pair():
    inst = instance(
        [
            ("R1", "S", {"P1": 5, "P2": 1}),
            ("R2", "S", {"P1": 4}),
            ("R3", "S", {"P2": 2}),
        ],
        [("P1", 1, "S", {"R1": 1, "R2": 2}), ("P2", 1, "S", {"R1": 1, "R3": 0})],
    )
    blocking = Result(assignments={"R1": "P2", "R2": "P1"}, unassigned=["R3"])
    assert check(inst, blocking) == ["Paire bloquante : R1 et P1."]
    over = Result(assignments={"R1": "P1", "R2": "P1"}, unassigned=["R3"])
    assert "Poste P1 : 2 affectés pour 1 place(s) (all)." in check(inst, over)
    refused = Result(assignments={"R1": "P1", "R3": "P2"}, unassigned=["R2"])
    assert "R3 affecté à P2 sans accord des deux côtés." in check(inst, refused)
    assert check(inst, solve(inst)) == []


def test_local_priority_reserves_the_first_seat_and_half_the_others_to_the_subdivision():
    # Three seats in S1: two for S1 residents (the first + half of the other two), one
    # for the rest of the region. Region residents are ranked best, yet only one gets in.
    residents = [(f"L{k}", "S1", {"P": 5}) for k in range(3)] + [
        (f"O{k}", "S2", {"P": 5}) for k in range(3)
    ]
    ranking = {f"O{k}": 1 for k in range(3)} | {f"L{k}": 2 for k in range(3)}
    posts = [("P", 3, "S1", ranking)]
    with_rule = solve(instance(residents, posts, local_priority=True))
    placed = sorted(with_rule.assignments)
    assert sum(r.startswith("L") for r in placed) == 2
    assert sum(r.startswith("O") for r in placed) == 1
    inst = instance(residents, posts, local_priority=True)
    assert check(inst, with_rule) == []
    without = solve(instance(residents, posts))
    assert sorted(without.assignments) == ["O0", "O1", "O2"]
    # One seat: the rule does not apply.
    single = solve(instance(residents, [("P", 1, "S1", ranking)], local_priority=True))
    assert list(single.assignments)[0].startswith("O")


def test_same_input_and_seed_give_the_same_result_and_hash():
    inst = instance(
        [(f"R{k}", "S", {"P1": 5, "P2": 5}) for k in range(6)],
        [("P1", 2, "S", {f"R{k}": 1 for k in range(6)}), ("P2", 2, "S", {})],
    )
    first, again = solve(inst), solve(inst)
    assert first.assignments == again.assignments
    assert inst.input_hash() == load_instance(inst.as_dict()).input_hash()
    other_seed = load_instance({**inst.as_dict(), "seed": 99})
    assert other_seed.input_hash() != inst.input_hash()


def test_explanations_give_the_reason_for_each_wish_without_naming_anyone():
    inst = instance(
        [
            ("ME", "S", {"A": 5, "B": 5, "C": 4, "D": 3, "E": 4}),
            ("X", "S", {"A": 5, "B": 5}),
            ("Y", "S", {"B": 5}),
        ],
        [
            ("A", 1, "S", {"X": 1, "ME": 2}),
            ("B", 1, "S", {"ME": 0, "X": 1, "Y": 1}),
            ("C", 1, "S", {"ME": 1}),
            ("D", 1, "S", {"ME": 1}),
            ("E", 1, "S", {"ME": 1}),
        ],
    )
    result = solve(inst)
    assert result.assignments["ME"] in {"C", "E"}
    reasons = {e["post"]: e["reason"] for e in explain(inst, result, "ME")}
    assert reasons["A"] == RANKED_ABOVE
    assert reasons["B"] == NOT_RANKED
    assert reasons["D"] == RATED_LOWER
    assert reasons[result.assignments["ME"]] == ASSIGNED
    other = ({"C", "E"} - {result.assignments["ME"]}).pop()
    assert reasons[other] == RATED_EQUAL
    assert "X" not in json.dumps(explain(inst, result, "ME"))


def test_explanation_says_when_a_tie_was_settled_against_her():
    inst = instance(
        [("ME", "S", {"A": 5}), ("X", "S", {"A": 5})],
        [("A", 1, "S", {"ME": 1, "X": 1})],
    )
    for seed in range(6):
        seeded = load_instance({**inst.as_dict(), "seed": seed})
        result = solve(seeded)
        if "ME" in result.unassigned:
            assert explain(seeded, result, "ME")[0]["reason"] == TIE_BROKEN
            return
    pytest.fail("no seed left ME out")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "L'instance doit être un objet JSON."),
        ({"residents": []}, "L'instance doit contenir les listes"),
        (
            {"residents": [{"id": "R1", "wishes": {"P9": 3}}], "posts": []},
            "Interne R1 : vœu pour un poste inconnu (P9).",
        ),
        (
            {
                "residents": [{"id": "R1", "wishes": {"P1": 6}}],
                "posts": [{"id": "P1", "seats": 1}],
            },
            "Interne R1, cœurs pour P1 : 6 n'est pas entre 0 et 5.",
        ),
        (
            {"residents": [], "posts": [{"id": "P1", "seats": 1, "ranking": {"R": 1}}]},
            "Poste P1 : classe un interne inconnu (R).",
        ),
        (
            {"residents": [], "posts": [{"id": "P1", "seats": "2"}]},
            "Poste P1, places : un nombre entier est attendu",
        ),
        (
            {"residents": [{"id": "R1"}, {"id": "R1"}], "posts": []},
            "Interne R1 : identifiant en double.",
        ),
    ],
)
def test_malformed_instances_are_refused_with_the_place_of_the_error(data, message):
    with pytest.raises(InstanceError) as error:
        load_instance(data)
    assert message in str(error.value)


def test_command_line_solves_a_file_without_django(tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(
        json.dumps(
            {
                "residents": [
                    {"id": "R1", "subdivision": "S1", "wishes": {"P1": 5, "P2": 5}},
                    {"id": "R2", "subdivision": "S1", "wishes": {"P1": 5}},
                ],
                "posts": [
                    {
                        "id": "P1",
                        "seats": 1,
                        "subdivision": "S1",
                        "ranking": {"R1": 1, "R2": 1},
                    },
                    {"id": "P2", "seats": 1, "subdivision": "S1", "ranking": {"R1": 1}},
                ],
                "rules": {"local_priority": False},
                "seed": 0,
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT)
    for extra in ([], ["--exact"]):
        done = subprocess.run(
            [sys.executable, "-m", "domains.matching", "solve", str(path), *extra],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {
            "assignments": {"R1": "P2", "R2": "P1"},
            "unassigned": [],
        }
        assert "vérifié" in done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"residents": [{"id": "R1", "wishes": {"X": 1}}], "posts": []}')
    done = subprocess.run(
        [sys.executable, "-m", "domains.matching", "solve", str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "vœu pour un poste inconnu (X)" in done.stderr
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, domains.matching.algorithm; print('django' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert probe.stdout.strip() == "False"
