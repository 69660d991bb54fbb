"""The semester activity SIIMOP proposes from what it knows. Pure: no database."""

from datetime import date

import pytest

from domains.choices import activity as a

START, END = date(2027, 5, 1), date(2027, 10, 31)


def facts(phase="socle", planned_end=date(2027, 10, 31), *situations, enrolled=True):
    return a.Facts(enrolled, phase, planned_end, tuple(situations))


def test_a_resident_in_socle_chooses():
    proposal = a.propose(facts(), START, END)
    assert (proposal.kind, proposal.phase) == (a.CHOOSES, "socle")


def test_the_phase_after_a_jury_is_the_next_one():
    proposal = a.propose(facts("socle", date(2027, 4, 30)), START, END)
    assert (proposal.kind, proposal.phase) == (a.CHOOSES, "approfondissement")
    proposal = a.propose(facts("approfondissement", date(2027, 4, 30)), START, END)
    assert (proposal.kind, proposal.phase) == (a.JUNIOR_DOCTOR, "consolidation")


def test_after_consolidation_or_without_enrolment_it_is_the_end():
    assert a.propose(facts("consolidation", date(2027, 4, 30)), START, END).kind == (
        a.END_OF_TRAINING
    )
    assert a.propose(facts(enrolled=False), START, END).kind == a.END_OF_TRAINING


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("leave", a.LEAVE),
        ("research", a.RESEARCH_YEAR),
        ("supernumerary_v", a.SUPERNUMERARY_VALIDATING),
        ("supernumerary_nv", a.SUPERNUMERARY_NON_VALIDATING),
        ("inter_chu", a.INTER_CHU_OUT),
        ("out_of_choice", a.OUT_OF_CHOICE),
        ("remorse", a.SPECIALTY_CHANGE),
    ],
)
def test_a_granted_situation_covering_the_semester_decides(kind, expected):
    situation = a.Situation(kind, date(2027, 5, 1), date(2027, 10, 31), "Accordée.")
    proposal = a.propose(facts("socle", date(2027, 10, 31), situation), START, END)
    assert (proposal.kind, proposal.reason) == (expected, "Accordée.")


def test_a_situation_outside_the_semester_changes_nothing():
    before = a.Situation("leave", date(2026, 11, 1), date(2027, 4, 30))
    assert a.propose(facts("socle", END, before), START, END).kind == a.CHOOSES


def test_leaving_the_subdivision_wins_over_the_rest():
    both = (
        a.Situation("supernumerary_v", START, END),
        a.Situation("inter_chu", START, END, "InterCHU vers Grenoble."),
    )
    proposal = a.propose(facts("socle", END, *both), START, END)
    assert (proposal.kind, proposal.reason) == (
        a.INTER_CHU_OUT,
        "InterCHU vers Grenoble.",
    )


def test_who_chooses_and_who_counts_in_the_needs():
    assert a.SUPERNUMERARY_NON_VALIDATING in a.CHOOSING
    assert a.SUPERNUMERARY_NON_VALIDATING not in a.COUNTED_IN_NEEDS
    assert a.SUPERNUMERARY_VALIDATING in a.COUNTED_IN_NEEDS
    assert a.LEAVE not in a.CHOOSING
