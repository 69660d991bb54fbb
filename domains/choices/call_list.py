"""Call-list ordering (listes d'appel), pure: no Django.

Residents are called by seniority first (whole validated semesters of effective service
in the current phase, higher first), then by the comparable national ranking (lower
first; a resident without one comes after those ranked), then by a tie-break drawn
once from a recorded seed. The ARS's manual adjustments apply after, each with its
reason. Every place says why it is there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from numbers import Real


class CallListError(ValueError):
    """Bad input; the message names the resident."""


@dataclass(frozen=True)
class Candidate:
    id: str
    seniority: int
    rank: float | None  # comparable national ranking, lower first; None: unranked


@dataclass(frozen=True)
class Adjustment:
    id: str
    position: int  # 1-based place after the adjustment
    reason: str


@dataclass(frozen=True)
class CallList:
    order: list[str]
    why: dict[str, str]

    def as_dict(self) -> dict:
        return {"order": self.order, "why": self.why}


def _rank_text(rank: float | None) -> str:
    return "sans rang" if rank is None else f"rang {rank:g}"


def order(
    candidates: list[Candidate], adjustments: list[Adjustment] = (), seed: int = 0
) -> CallList:
    """The ordered list and why each resident is where she is."""
    _check(candidates, adjustments)
    # One tie-break number per resident, drawn in id order: the same seed and the same
    # residents give the same list, whatever order they came in.
    draw = random.Random(seed)
    tie = {c.id: draw.random() for c in sorted(candidates, key=lambda c: c.id)}

    def key(c: Candidate):
        return (-c.seniority, c.rank is None, c.rank or 0.0, tie[c.id])

    ranked = sorted(candidates, key=key)
    why = {c.id: f"ancienneté {c.seniority}, {_rank_text(c.rank)}" for c in candidates}
    for before, after in zip(ranked, ranked[1:], strict=False):
        if (before.seniority, before.rank) == (after.seniority, after.rank):
            for c in (before, after):
                if "départage" not in why[c.id]:
                    why[c.id] += f", départage par tirage (graine {seed})"
    ids = [c.id for c in ranked]
    for adjustment in adjustments:
        ids.remove(adjustment.id)
        ids.insert(adjustment.position - 1, adjustment.id)
        why[adjustment.id] += (
            f" ; placé(e) en position {adjustment.position} par l'ARS : "
            f"{adjustment.reason}"
        )
    return CallList(order=ids, why=why)


def _check(candidates: list[Candidate], adjustments: list[Adjustment]) -> None:
    seen: set[str] = set()
    for c in candidates:
        if c.id in seen:
            raise CallListError(f"interne {c.id} : présent deux fois")
        seen.add(c.id)
        if isinstance(c.seniority, bool) or not isinstance(c.seniority, int):
            raise CallListError(
                f"interne {c.id} : l'ancienneté doit être un nombre entier de semestres"
            )
        if c.seniority < 0:
            raise CallListError(f"interne {c.id} : ancienneté négative")
        if c.rank is not None and (
            isinstance(c.rank, bool) or not isinstance(c.rank, Real) or c.rank < 0
        ):
            raise CallListError(f"interne {c.id} : rang invalide ({c.rank!r})")
    for a in adjustments:
        if a.id not in seen:
            raise CallListError(f"ajustement : interne {a.id} absent de la liste")
        if isinstance(a.position, bool) or not isinstance(a.position, int):
            raise CallListError(f"ajustement de {a.id} : position entière attendue")
        if not 1 <= a.position <= len(candidates):
            raise CallListError(
                f"ajustement de {a.id} : position {a.position} hors de la liste "
                f"(1 à {len(candidates)})"
            )
        if not str(a.reason).strip():
            raise CallListError(f"ajustement de {a.id} : la raison est obligatoire")


def load(data: object) -> tuple[list[Candidate], list[Adjustment], int]:
    """The JSON instance: {"residents": [...], "adjustments": [...], "seed": 0}."""
    if not isinstance(data, dict) or not isinstance(data.get("residents"), list):
        raise CallListError("l'instance doit contenir une liste « residents »")
    candidates = []
    for index, row in enumerate(data["residents"], start=1):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise CallListError(f"interne n°{index} : identifiant « id » manquant")
        if "seniority" not in row:
            raise CallListError(f"interne {row['id']} : ancienneté manquante")
        candidates.append(Candidate(row["id"], row["seniority"], row.get("rank")))
    adjustments = []
    for row in data.get("adjustments") or []:
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise CallListError("ajustement sans identifiant « id »")
        adjustments.append(
            Adjustment(row["id"], row.get("position"), row.get("reason", ""))
        )
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise CallListError("la graine « seed » doit être un entier")
    return candidates, adjustments, seed
