"""Semester activity (activité semestrielle), pure: no Django.

What SIIMOP already knows says where a resident will be next semester: a granted
special situation covering it, the phase she will be in (consolidation: a Docteur
Junior, matched rather than chosen), the end of her training. The faculty registry
and the resident confirm or correct; this module only proposes, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CHOOSES = "chooses"
LEAVE = "leave"
SUPERNUMERARY_VALIDATING = "supernumerary_v"
SUPERNUMERARY_NON_VALIDATING = "supernumerary_nv"
INTER_CHU_OUT = "inter_chu_out"
INTER_CHU_IN = "inter_chu_in"
RESEARCH_YEAR = "research"
OUT_OF_CHOICE = "out_of_choice"
JUNIOR_DOCTOR = "junior_doctor"
END_OF_TRAINING = "end"
SPECIALTY_CHANGE = "remorse"

# Who takes part in the choice session, and who counts in the needs (the 107 % rule):
# a non-validating supernumerary chooses but takes no seat.
# An interCHU entrant chooses in her host subdivision, among its residents.
CHOOSING = frozenset(
    {CHOOSES, SUPERNUMERARY_VALIDATING, SUPERNUMERARY_NON_VALIDATING, INTER_CHU_IN}
)
COUNTED_IN_NEEDS = frozenset({CHOOSES, SUPERNUMERARY_VALIDATING, INTER_CHU_IN})
# Called in rank order (a non-validating supernumerary chooses after everyone, any
# post of a site without a supernumerary: she is not on the list).
CALLED = frozenset({CHOOSES, SUPERNUMERARY_VALIDATING, INTER_CHU_IN})

# A granted special situation covering the semester → the activity it means, in order
# of precedence when several cover it (a resident leaving the subdivision is not
# placed here, whatever else).
FROM_SITUATION = {
    "inter_chu": INTER_CHU_OUT,
    "leave": LEAVE,
    "research": RESEARCH_YEAR,
    "out_of_choice": OUT_OF_CHOICE,
    "supernumerary_v": SUPERNUMERARY_VALIDATING,
    "supernumerary_nv": SUPERNUMERARY_NON_VALIDATING,
    "remorse": SPECIALTY_CHANGE,
}
NEXT_PHASE = {"socle": "approfondissement", "approfondissement": "consolidation"}


@dataclass(frozen=True)
class Situation:
    kind: str
    start: date
    end: date
    label: str = ""  # "Disponibilité du 01/05/2027 au 31/10/2027"


@dataclass(frozen=True)
class Facts:
    """What is known of one resident at the semester's start."""

    enrolled: bool  # an active DES enrolment
    phase: str | None  # her current phase code
    phase_planned_end: date | None
    situations: tuple[Situation, ...] = ()  # granted ones


@dataclass(frozen=True)
class Proposal:
    kind: str
    phase: str | None  # her phase during the semester
    reason: str


def phase_during(facts: Facts, start: date) -> str | None:
    """Her phase during a semester beginning on `start`: the next one when the
    current ends before (the jury will have passed her), None after consolidation."""
    if facts.phase is None or facts.phase_planned_end is None:
        return facts.phase
    if facts.phase_planned_end >= start:
        return facts.phase
    return NEXT_PHASE.get(facts.phase)


def propose(facts: Facts, start: date, end: date) -> Proposal:
    """Her activity next semester (`start`–`end`) and why."""
    if not facts.enrolled:
        return Proposal(END_OF_TRAINING, None, "Aucune inscription en cours en DES.")
    phase = phase_during(facts, start)
    covering = [s for s in facts.situations if s.start <= end and s.end >= start]
    for kind, activity in FROM_SITUATION.items():
        found = next((s for s in covering if s.kind == kind), None)
        if found is not None:
            return Proposal(activity, phase, found.label or "Situation accordée.")
    if phase is None:
        return Proposal(
            END_OF_TRAINING, None, "Phase de consolidation achevée : fin de cursus."
        )
    if phase == "consolidation":
        return Proposal(
            JUNIOR_DOCTOR,
            phase,
            "Phase de consolidation : affecté(e) par l'appariement Docteurs Juniors.",
        )
    return Proposal(CHOOSES, phase, "Choisit son stage en amphi.")
