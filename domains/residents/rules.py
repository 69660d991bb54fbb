"""The rules of a resident's path, on plain facts (no Django): tested on built cases.

Each check returns the French sentence saying which rule is broken, or None.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from domains.cockpit.dates import period_end

MAX_ABSENCE_DAYS = 60  # more than 2 months of absence: the stage cannot be validated
LEAVE_MONTHS = 12  # a disponibilité lasts at most 1 year...
LEAVE_RENEWALS = 1  # ...renewable once
THESIS_LEAVE_MONTHS = 36  # 3 years to prepare a thesis
SERVICE_MONTHS_FOR_LEAVE = {"personal": 12, "family": 6, "studies": 6, "thesis": 6}
REMORSE_LAST_APPROFONDISSEMENT_SEMESTER = 2
SENIOR_ON_CALL_SEMESTERS = 6  # 3 years validated
PHASE_ORDER = ["socle", "approfondissement", "consolidation"]
PHASE_YEARS = {"socle": 1, "approfondissement": 2, "consolidation": 1}


def phase_years(code: str, *, surgical: bool = False) -> int:
    """Planned length of a phase; Docteur Junior: 1 year medical, 2 surgical."""
    return 2 if code == "consolidation" and surgical else PHASE_YEARS[code]


def next_phase_period(
    jury_date: date, code: str, *, surgical: bool = False, semesters: int | None = None
) -> tuple[date, date]:
    """(start, planned end) of the phase that opens after a jury validated the last
    (`semesters`: its length for the DES, see `phase_semesters`)."""
    start = jury_date + timedelta(days=1)
    if semesters is not None:
        return start, period_end(start, months=6 * semesters)
    return start, period_end(start, years=phase_years(code, surgical=surgical))


# Medical biology (both disciplines) has a socle of two years.
LONG_SOCLE_SPECIALTIES = frozenset({"DES-BM", "DES-BM-PHA"})


@dataclass(frozen=True)
class SpecialtyFact:
    """A DES as its phases need it (referential Specialty)."""

    code: str
    label: str
    semesters: int  # the whole DES (duration_semesters)
    surgical: bool = False


def phase_semesters(code: str, specialty: SpecialtyFact) -> int:
    """Semesters a phase lasts for a DES: socle 2 (4 in medical biology), consolidation
    (Docteur Junior) 2, 4 in a surgical DES, approfondissement the rest (at least 2)."""
    socle = 4 if specialty.code in LONG_SOCLE_SPECIALTIES else 2
    consolidation = 4 if specialty.surgical else 2
    if code == "socle":
        return socle
    if code == "consolidation":
        return consolidation
    return max(2, specialty.semesters - socle - consolidation)


def phase_minimum(
    code: str, specialty: SpecialtyFact, *, plan_minimum: int | None = None
) -> int:
    """Validated semesters a phase needs before a jury validates it.

    Today the phase's length for the DES; once training plans (maquettes) exist, the
    plan's own minimum for the phase, passed as `plan_minimum`, takes its place.
    """
    return phase_semesters(code, specialty) if plan_minimum is None else plan_minimum


@dataclass(frozen=True)
class PlacementFact:
    start: date
    end: date
    phase: str  # socle / approfondissement / consolidation
    validation: str  # pending / validated / not_validated
    r3c: bool = True
    place: str = ""
    specialty: str = ""


@dataclass(frozen=True)
class SituationFact:
    kind: str
    status: str
    start: date
    end: date
    leave_reason: str = ""


LIVE = ("requested", "opinion", "approved")


def months_between(start: date, end: date) -> int:
    """Whole months from start to end inclusive (1 Nov → 31 Oct = 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day >= start.day - 1 else 0)


def seniority(
    placements: list[PlacementFact], situations: list[SituationFact], phase: str
) -> int:
    """Whole validated semesters in the phase.

    A stage not validated because of an approved maternity leave still counts: maternity
    does not push a resident down the call list; leave and research years do (they hold
    no validated stage).
    """
    maternity = [
        s for s in situations if s.kind == "maternity" and s.status == "approved"
    ]
    count = 0
    for p in placements:
        if not p.r3c or p.phase != phase:
            continue
        if p.validation == "validated" or (
            p.validation == "not_validated"
            and any(m.start <= p.end and m.end >= p.start for m in maternity)
        ):
            count += 1
    return count


def service_months(placements: list[PlacementFact], today: date) -> int:
    return sum(months_between(p.start, p.end) for p in placements if p.end < today)


def leave_refusal(
    *,
    start: date,
    end: date,
    reason: str,
    placements: list[PlacementFact],
    situations: list[SituationFact],
    today: date,
) -> str | None:
    months = months_between(start, end)
    if reason == "thesis":
        previous = sum(
            months_between(s.start, s.end)
            for s in situations
            if s.kind == "leave" and s.leave_reason == "thesis" and s.status in LIVE
        )
        if previous + months > THESIS_LEAVE_MONTHS:
            return (
                f"Une disponibilité pour thèse dure au plus {THESIS_LEAVE_MONTHS // 12} "
                f"ans en tout ({previous} mois déjà accordés ou demandés)."
            )
    else:
        if months > LEAVE_MONTHS:
            return "Une disponibilité dure au plus 1 an (renouvelable une fois)."
        earlier = [
            s
            for s in situations
            if s.kind == "leave" and s.leave_reason != "thesis" and s.status in LIVE
        ]
        if len(earlier) > LEAVE_RENEWALS:
            return "La disponibilité a déjà été renouvelée une fois : pas de 3e année."
    needed = SERVICE_MONTHS_FOR_LEAVE.get(reason, 12)
    served = service_months(placements, today)
    if served < needed:
        return (
            f"Une disponibilité pour ce motif demande {needed} mois de fonctions "
            f"effectives ; {served} mois effectués à ce jour."
        )
    return None


def remorse_refusal(
    *,
    current_phase: str,
    placements: list[PlacementFact],
    situations: list[SituationFact],
    current_specialty: str,
    target_specialty: str,
    start: date,
) -> str | None:
    """Droit au remords: once, within the subdivision, at the latest in the 2nd semester
    of approfondissement."""
    if any(s.kind == "remorse" and s.status in LIVE for s in situations):
        return "Le droit au remords ne s'exerce qu'une fois (déjà demandé ou accordé)."
    if target_specialty == current_specialty:
        return "Choisissez une spécialité différente de votre DES actuel."
    if current_phase == "consolidation":
        return (
            "Le droit au remords s'exerce au plus tard au 2e semestre de la phase "
            "d'approfondissement."
        )
    if current_phase == "approfondissement":
        done = sum(
            1 for p in placements if p.phase == "approfondissement" and p.end < start
        )
        if done >= REMORSE_LAST_APPROFONDISSEMENT_SEMESTER:
            return (
                "Le droit au remords s'exerce au plus tard au 2e semestre de la phase "
                f"d'approfondissement ; {done} semestres y sont déjà effectués."
            )
    return None


def validation_refusal(
    *, validated: bool, reasons: str, absence_days: int
) -> str | None:
    if validated and absence_days > MAX_ABSENCE_DAYS:
        return (
            f"Un stage avec plus de 2 mois d'absence ({absence_days} jours) ne peut pas "
            "être validé."
        )
    if not validated and not reasons.strip():
        return "Indiquez les motifs de la non-validation : ils sont obligatoires."
    return None


def senior_on_call_refusal(
    placements: list[PlacementFact], specialty_semesters: int
) -> str | None:
    """Gardes séniors: ≥ 3 years validated and ≥ 2/3 of the specialty's semesters."""
    validated = sum(1 for p in placements if p.r3c and p.validation == "validated")
    needed = max(SENIOR_ON_CALL_SEMESTERS, math.ceil(specialty_semesters * 2 / 3))
    if validated < needed:
        return (
            f"Il faut {needed} semestres validés (3 ans et les deux tiers des "
            f"{specialty_semesters} semestres de la spécialité) ; {validated} le sont : "
            f"il en manque {needed - validated}."
        )
    return None


def validated_semesters(placements: list[PlacementFact], phase: str) -> int:
    return sum(
        1 for p in placements if p.phase == phase and p.validation == "validated"
    )


def _of(label: str) -> str:
    """ "de Cardiologie", "d'Oncologie": French elision before a vowel or a mute h."""
    return f"d'{label}" if label[:1].lower() in "aeiouyhéèêâîô" else f"de {label}"


def phase_change_refusal(
    placements: list[PlacementFact],
    phase: str,
    *,
    required: int,
    specialty: str = "",
    phase_label: str = "",
) -> str | None:
    """Why a jury may not validate the phase: a stage of it not validated, or fewer
    validated semesters in it than `required` (see `phase_minimum`).

    Every validated stage of the phase counts, archived ones too: a recovered stage
    was validated by the faculty of its time.
    """
    in_phase = [p for p in placements if p.phase == phase]
    blocking = [p for p in in_phase if p.validation == "not_validated"]
    if blocking:
        return (
            f"La phase en cours a un stage non validé ({blocking[0].place}, débuté le "
            f"{blocking[0].start:%d/%m/%Y}) : elle ne peut pas être close."
        )
    if validated_semesters(in_phase, phase) < required:
        return phase_progress(
            placements, phase, required=required, label=phase_label
        ) + (f" pour le DES {_of(specialty)}." if specialty else ".")
    return None


def phase_progress(
    placements: list[PlacementFact], phase: str, *, required: int, label: str = ""
) -> str:
    """ "Phase socle : 1 semestre validé sur les 2 exigés" """
    validated = validated_semesters(placements, phase)
    plural = "s" if validated > 1 else ""
    return (
        f"{label or 'Phase ' + phase} : {validated} semestre{plural} validé{plural} sur "
        + (f"les {required} exigés" if required > 1 else f"{required} exigé")
    )


# The licence de remplacement (Ordre des médecins) ------------------------------------


def stage_type(*, site_kind: str, placement_kind: str, with_gp: bool) -> str:
    """What the Ordre reads of a stage: ambulatory (with a general practitioner when
    the site's supervisor is one), hospital, or other (StageType)."""
    if site_kind == "ambulatory" or placement_kind == "ambulatory":
        return "general_practitioner" if with_gp else "ambulatory"
    return "hospital" if site_kind == "hospital" else "other"


@dataclass(frozen=True)
class StageFact:
    """A validated stage, R3C or archived, as the relevé de stages lists it."""

    stage_type: str  # StageType
    in_specialty: bool  # in the DES the thresholds are read for


@dataclass(frozen=True)
class ThresholdFact:
    label: str
    semesters_required: int
    of_which_count: int = 0
    of_which_kind: str = ""  # ThresholdCondition, "" when none
    of_which_label: str = ""  # "chez un médecin généraliste"


@dataclass(frozen=True)
class ThresholdVerdict:
    threshold: ThresholdFact
    met: bool
    sentence: str


def _semesters(n: int) -> str:
    """ "1 semestre validé", "3 semestres validés" (French: 0 and 1 are singular)."""
    s = "s" if n > 1 else ""
    return f"{n} semestre{s} validé{s}"


def _counts_for(kind: str, stage: StageFact) -> bool:
    if kind == "general_practitioner":
        return stage.stage_type == "general_practitioner"
    if kind == "ambulatory":  # a stage with a GP is an ambulatory one
        return stage.stage_type in ("ambulatory", "general_practitioner")
    if kind == "hospital":
        return stage.stage_type == "hospital"
    if kind == "specialty":
        return stage.in_specialty
    return False


def threshold_verdict(
    threshold: ThresholdFact, stages: list[StageFact]
) -> ThresholdVerdict:
    """Whether the validated stages meet one threshold, said in plain French:
    "Seuil atteint : 3 semestres validés dont 1 chez un médecin généraliste" or
    "Seuil non atteint : il manque …"."""
    done = len(stages)
    part = threshold.of_which_count
    label = threshold.of_which_label
    done_part = sum(1 for s in stages if _counts_for(threshold.of_which_kind, s))
    held = _semesters(done) + (f" dont {done_part} {label}" if part else "")
    required = _semesters(threshold.semesters_required) + (
        f" dont {part} {label}" if part else ""
    )
    missing_total = max(0, threshold.semesters_required - done)
    missing_part = max(0, part - done_part) if part else 0
    if not missing_total and not missing_part:
        return ThresholdVerdict(
            threshold, True, f"Seuil atteint : {held} (requis : {required})."
        )
    if not missing_part:
        missing = _semesters(missing_total)
    elif missing_part >= missing_total:
        missing = f"{_semesters(missing_part)} {label}"
    else:
        missing = f"{_semesters(missing_total)}, dont {missing_part} {label}"
    return ThresholdVerdict(
        threshold,
        False,
        f"Seuil non atteint : il manque {missing} ({held} ; requis : {required}).",
    )


# The droit au remords against the last rank admitted --------------------------------


@dataclass(frozen=True)
class RankCheck:
    """Whether her national rank gave access to the new DES: True, False, or None when
    it cannot be checked yet; `message` says it to the resident and the decider."""

    ok: bool | None
    message: str


def _rank_text(value, percentage: bool) -> str:
    if percentage:
        return f"{float(value):.2f} %".replace(".", ",")
    return str(value)


def remorse_rank_check(
    *,
    rank,
    last,
    percentage: bool,
    specialty: str,
    subdivision: str,
    cohort: int,
    ranking: str,
) -> RankCheck:
    """Compare her rank with the last rank admitted in the target DES, in her cohort's
    subdivision, for her cohort and her kind of ranking only (lower is better)."""
    where = f"au DES {specialty} dans la subdivision {subdivision}"
    if rank is None:
        return RankCheck(
            None,
            f"Rang non vérifiable : le classement national de l'interne (promotion "
            f"{cohort}, {ranking}) n'est pas enregistré.",
        )
    if last is None:
        return RankCheck(
            None,
            f"Rang non vérifiable pour l'instant : aucun dernier rang admis n'est "
            f"enregistré {where} pour la promotion {cohort} ({ranking}). La scolarité "
            "le saisit dans « Derniers rangs admis ».",
        )
    mine, theirs = _rank_text(rank, percentage), _rank_text(last, percentage)
    if rank > last:
        return RankCheck(
            False,
            f"Droit au remords impossible : le rang {mine} (promotion {cohort}, "
            f"{ranking}) ne donnait pas accès {where}, où le dernier rang admis de la "
            f"promotion est {theirs}.",
        )
    return RankCheck(
        True,
        f"Rang vérifié : le rang {mine} donnait accès {where} (dernier rang admis de "
        f"la promotion {cohort} : {theirs}).",
    )
