"""The choice session's rule (domains/choices/amphi.py), pure: no database, so
hypothesis can try hundreds of instances, each result read again by the checker."""

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domains.choices.amphi import (
    NON_VALIDATING,
    VALIDATING,
    Chooser,
    InstanceError,
    Post,
    Result,
    load,
    simulate,
    violations,
)


def _posts(*specs):
    return [
        Post(id, tuple(sites), seats, reserved) for id, sites, seats, reserved in specs
    ]


def test_each_resident_gets_her_first_wish_still_free_in_call_list_order():
    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 2, None))
    residents = [
        Chooser("R1", ("P1", "P2")),
        Chooser("R2", ("P1", "P2")),  # P1 gone with R1
        Chooser("R3", ("P1",)),  # her only wish is gone
        Chooser("R4", ("P2",)),
    ]
    result = simulate(posts, residents)
    assert result.assignments == {"R1": "P1", "R2": "P2", "R4": "P2"}
    assert result.unassigned == ["R3"]
    assert violations(posts, residents, result) == []


def test_a_cesp_post_goes_to_signatories_only():
    posts = _posts(("P1", ["S1"], 1, "cesp"), ("P2", ["S2"], 1, None))
    residents = [Chooser("R1", ("P1", "P2")), Chooser("R2", ("P1",), cesp=True)]
    result = simulate(posts, residents)
    assert result.assignments == {"R1": "P2", "R2": "P1"}


def test_a_validating_supernumerary_takes_no_seat_one_per_site():
    posts = _posts(("P1", ["S1"], 1, None), ("P1b", ["S1"], 1, None))
    residents = [
        Chooser("R1", ("P1",), supernumerary=VALIDATING),
        Chooser("R2", ("P1b", "P1"), supernumerary=VALIDATING),  # S1 already has one
        Chooser("R3", ("P1",)),  # the seat is still hers
    ]
    result = simulate(posts, residents)
    assert result.assignments == {"R1": "P1", "R3": "P1"}
    assert result.unassigned == ["R2"]
    assert violations(posts, residents, result) == []


def test_a_validating_supernumerary_only_chooses_a_post_still_free():
    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 1, None))
    residents = [Chooser("R1", ("P1",)), Chooser("R2", ("P1", "P2"), VALIDATING)]
    assert simulate(posts, residents).assignments == {"R1": "P1", "R2": "P2"}


def test_a_non_validating_supernumerary_chooses_after_everyone_full_or_not():
    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 1, None))
    residents = [
        Chooser("R1", ("P1",), supernumerary=NON_VALIDATING),  # first called, yet
        Chooser("R2", ("P1",)),  # R2 keeps her seat
        Chooser("R3", ("P2",), supernumerary=VALIDATING),
        Chooser("R4", ("P2", "P1"), supernumerary=NON_VALIDATING),  # S2 is held
    ]
    result = simulate(posts, residents)
    assert result.assignments == {"R1": "P1", "R2": "P1", "R3": "P2"}
    assert result.unassigned == ["R4"]
    assert violations(posts, residents, result) == []


def test_a_supernumerary_on_a_coupled_post_holds_both_its_sites():
    posts = _posts(("C1", ["S1", "S2"], 1, None), ("P2", ["S2"], 1, None))
    residents = [Chooser("R1", ("C1",), VALIDATING), Chooser("R2", ("P2",), VALIDATING)]
    result = simulate(posts, residents)
    assert result.assignments == {"R1": "C1"}
    assert result.unassigned == ["R2"]


def test_the_checker_names_a_preferred_wish_that_was_still_free():
    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 1, None))
    residents = [Chooser("R1", ("P1", "P2")), Chooser("R2", ("P1", "P2"))]
    wrong = Result({"R1": "P2", "R2": "P1"}, [])
    assert violations(posts, residents, wrong) == [
        "R1 : P1, préféré, lui était encore ouvert à son tour"
    ]
    taken = Result({"R1": "P1", "R2": "P1"}, [])
    assert "R2 : P1 ne lui était pas ouvert" in violations(posts, residents, taken)
    assert "P1 : 2 internes pour 1 places" in violations(posts, residents, taken)


# Instances small enough to collide often: few posts and seats, many residents.
@st.composite
def instances(draw):
    sites = [f"S{i}" for i in range(draw(st.integers(1, 5)))]
    posts = []
    for i in range(draw(st.integers(1, 8))):
        coupled = draw(st.booleans()) and len(sites) > 1
        chosen = draw(
            st.lists(
                st.sampled_from(sites),
                min_size=2 if coupled else 1,
                max_size=2 if coupled else 1,
                unique=True,
            )
        )
        posts.append(
            Post(
                f"P{i}",
                tuple(chosen),
                draw(st.integers(0, 3)),
                draw(st.sampled_from([None, None, "cesp"])),
            )
        )
    ids = [p.id for p in posts]
    residents = [
        Chooser(
            f"R{i}",
            tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))),
            draw(st.sampled_from([None, None, None, VALIDATING, NON_VALIDATING])),
            draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 14)))
    ]
    return posts, residents


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_simulation_keeps_the_rule(instance):
    posts, residents = instance
    result = simulate(posts, residents)
    assert violations(posts, residents, result) == []
    seats = {p.id: p.seats for p in posts}
    for resident_id, post_id in result.assignments.items():
        resident = next(r for r in residents if r.id == resident_id)
        if resident.supernumerary is None:
            seats[post_id] -= 1
    assert all(left >= 0 for left in seats.values())


def _cli(payload: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "domains.choices", "simulate", "-"],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_simulate_command_prints_the_assignments():
    instance = {
        "posts": [
            {"id": "P1", "site": "S1", "seats": 2, "reserved_for": None},
            {"id": "P3", "site": "S3", "seats": 1, "reserved_for": "cesp"},
        ],
        "residents": [
            {"id": "R1", "wishes": ["P3", "P1"], "supernumerary": None, "cesp": False},
            {"id": "R2", "wishes": ["P3"], "supernumerary": None, "cesp": True},
            {"id": "R7", "wishes": [], "supernumerary": None, "cesp": False},
        ],
    }
    done = _cli(json.dumps(instance))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "assignments": {"R1": "P1", "R2": "P3"},
        "unassigned": ["R7"],
    }


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        (
            {"posts": [], "residents": [{"id": "R1", "wishes": ["P9"]}]},
            "interne R1 : vœu pour un poste inconnu, P9",
        ),
        (
            {
                "posts": [{"id": "P1", "site": "S1", "seats": 1}] * 2,
                "residents": [],
            },
            "poste P1 : identifiant en double",
        ),
        (
            {"posts": [], "residents": [{"id": "R1", "wishes": []}] * 2},
            "interne R1 : identifiant en double",
        ),
        (
            {"posts": [{"id": "P1", "site": "S1", "seats": -1}], "residents": []},
            "poste P1 : « seats » est un nombre entier de places, positif ou nul",
        ),
        (
            {
                "posts": [{"id": "P1", "site": "S1", "seats": 1, "reserved_for": "x"}],
                "residents": [],
            },
            'poste P1 : « reserved_for » vaut null ou "cesp"',
        ),
        (
            {
                "posts": [],
                "residents": [{"id": "R2", "wishes": [], "supernumerary": "oui"}],
            },
            "interne R2 : « supernumerary » vaut null",
        ),
        (
            {
                "posts": [{"id": "P1", "site": "S1", "seats": 1}],
                "residents": [{"id": "R3", "wishes": ["P1", "P1"]}],
            },
            "interne R3 : le poste P1 est demandé deux fois",
        ),
    ],
)
def test_the_simulate_command_refuses_bad_input_with_code_2(instance, message):
    done = _cli(json.dumps(instance))
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
    with pytest.raises(InstanceError):
        load(instance)


def test_the_simulate_command_refuses_malformed_json():
    done = _cli("{pas du json")
    assert done.returncode == 2
    assert "JSON mal formé" in done.stderr
    assert done.stdout == ""


def test_the_forecast_of_known_wishes_is_the_simulation():
    from domains.choices.forecast import forecast

    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 1, None))
    residents = [
        Chooser("R1", ("P1",)),
        Chooser("R2", ("P1", "P2")),
        Chooser("R3", ("P1", "P2")),
    ]
    assert forecast(posts, residents, "R2", draws=50) == [
        ("P1", 0.0, 0.0),
        ("P2", 1.0, 1.0),
    ]
    # Nobody above her: every wish is free, she gets the first.
    assert forecast(posts, residents, "R1", draws=50) == [("P1", 1.0, 1.0)]


def test_the_forecast_guesses_those_who_have_not_ranked_from_the_demand():
    from domains.choices.forecast import forecast

    posts = _posts(("P1", ["S1"], 1, None), ("P2", ["S2"], 5, None))
    residents = [Chooser("R1", ()), Chooser("R2", ("P1", "P2"))]
    # R1 entered nothing; the demand says everyone wants P1.
    wanted = forecast(posts, residents, "R2", demand={"P1": 100, "P2": 0})
    assert wanted[0].free < 0.01
    assert wanted[1].gets > 0.99
    # Nobody wants P1: it is almost surely still free at her turn.
    unwanted = forecast(posts, residents, "R2", demand={"P1": 0, "P2": 100})
    assert unwanted[0].free > 0.99
    # Equal demand on seats (the default): R1 draws P1 about 1 time in 6.
    default = forecast(posts, residents, "R2", draws=4000, seed=1)
    assert 0.75 < default[0].free < 0.92
    # A CESP post is never drawn for a resident who did not sign.
    cesp = _posts(("P1", ["S1"], 1, "cesp"), ("P2", ["S2"], 5, None))
    signatory = [Chooser("R1", ()), Chooser("R2", ("P1", "P2"), cesp=True)]
    assert forecast(cesp, signatory, "R2", demand={"P1": 100})[0].free == 1.0
