"""The rules of the path on built cases (pure functions, no database)."""

from datetime import date

from domains.residents import rules
from domains.residents.rules import PlacementFact, SituationFact


def stage(season_start: date, phase="socle", validation="validated", r3c=True):
    end = date(
        season_start.year + (1 if season_start.month == 11 else 0),
        4 if season_start.month == 11 else 10,
        30 if season_start.month == 11 else 31,
    )
    return PlacementFact(
        start=season_start,
        end=end,
        phase=phase,
        validation=validation,
        r3c=r3c,
        place="Cardiologie",
    )


def test_seniority_counts_validated_r3c_semesters_of_the_phase_only():
    placements = [
        stage(date(2023, 11, 1)),
        stage(date(2024, 5, 1)),
        stage(date(2024, 11, 1), phase="approfondissement"),
        stage(date(2025, 5, 1), phase="approfondissement", validation="not_validated"),
        stage(date(2022, 11, 1), r3c=False),  # archive: no R3C logic
    ]
    assert rules.seniority(placements, [], "socle") == 2
    assert rules.seniority(placements, [], "approfondissement") == 1


def test_maternity_does_not_push_down_but_leave_does():
    placements = [
        stage(date(2024, 11, 1), phase="approfondissement"),
        stage(date(2025, 5, 1), phase="approfondissement", validation="not_validated"),
    ]
    maternity = SituationFact(
        "maternity", "approved", date(2025, 6, 1), date(2025, 9, 30)
    )
    leave = SituationFact("leave", "approved", date(2025, 6, 1), date(2025, 9, 30))
    assert rules.seniority(placements, [maternity], "approfondissement") == 2
    assert rules.seniority(placements, [leave], "approfondissement") == 1


def test_leave_needs_service_and_lasts_one_year_renewable_once():
    today = date(2025, 6, 1)
    six_months = [stage(date(2024, 5, 1))]
    refusal = rules.leave_refusal(
        start=date(2025, 11, 1),
        end=date(2026, 10, 31),
        reason="personal",
        placements=six_months,
        situations=[],
        today=today,
    )
    assert "12 mois de fonctions effectives ; 6 mois effectués" in refusal
    assert (
        rules.leave_refusal(
            start=date(2025, 11, 1),
            end=date(2026, 4, 30),
            reason="family",
            placements=six_months,
            situations=[],
            today=today,
        )
        is None
    )
    year = [stage(date(2023, 11, 1)), stage(date(2024, 5, 1))]
    too_long = rules.leave_refusal(
        start=date(2025, 11, 1),
        end=date(2027, 4, 30),
        reason="personal",
        placements=year,
        situations=[],
        today=today,
    )
    assert "au plus 1 an" in too_long
    two = [
        SituationFact(
            "leave", "approved", date(2023, 1, 1), date(2023, 12, 31), "personal"
        ),
        SituationFact(
            "leave", "approved", date(2024, 1, 1), date(2024, 12, 31), "personal"
        ),
    ]
    third = rules.leave_refusal(
        start=date(2025, 11, 1),
        end=date(2026, 4, 30),
        reason="personal",
        placements=year,
        situations=two,
        today=today,
    )
    assert "déjà été renouvelée une fois" in third
    thesis = rules.leave_refusal(
        start=date(2025, 11, 1),
        end=date(2028, 10, 31),
        reason="thesis",
        placements=year,
        situations=[],
        today=today,
    )
    assert thesis is None


def test_remorse_once_and_at_the_latest_in_the_second_approfondissement_semester():
    base = dict(
        current_specialty="DES-MCA", target_specialty="DES-PED", start=date(2025, 11, 1)
    )
    one = [stage(date(2024, 11, 1), phase="approfondissement")]
    assert (
        rules.remorse_refusal(
            current_phase="approfondissement", placements=one, situations=[], **base
        )
        is None
    )
    two = [*one, stage(date(2025, 5, 1), phase="approfondissement")]
    late = rules.remorse_refusal(
        current_phase="approfondissement", placements=two, situations=[], **base
    )
    assert "au plus tard au 2e semestre" in late and "2 semestres" in late
    again = rules.remorse_refusal(
        current_phase="socle",
        placements=[],
        situations=[
            SituationFact("remorse", "approved", date(2024, 1, 1), date(2024, 1, 1))
        ],
        **base,
    )
    assert "qu'une fois" in again
    assert "différente" in rules.remorse_refusal(
        current_phase="socle",
        placements=[],
        situations=[],
        current_specialty="DES-MCA",
        target_specialty="DES-MCA",
        start=date(2025, 11, 1),
    )


def test_validation_rules():
    assert "plus de 2 mois d'absence (61 jours)" in rules.validation_refusal(
        validated=True, reasons="", absence_days=61
    )
    assert rules.validation_refusal(validated=True, reasons="", absence_days=60) is None
    assert "motifs" in rules.validation_refusal(
        validated=False, reasons=" ", absence_days=0
    )


def test_senior_on_call_needs_three_years_and_two_thirds():
    five = [stage(date(2020 + i // 2, 11 if i % 2 else 5, 1)) for i in range(5)]
    refusal = rules.senior_on_call_refusal(five, specialty_semesters=8)
    assert "il en manque 1" in refusal
    assert rules.senior_on_call_refusal([*five, stage(date(2026, 5, 1))], 8) is None
    # A 12-semester DES needs 8.
    assert "Il faut 8 semestres" in rules.senior_on_call_refusal(
        [*five, stage(date(2026, 5, 1))], 12
    )


def test_a_non_validated_stage_blocks_the_phase_change():
    placements = [stage(date(2024, 5, 1), validation="not_validated")]
    assert "stage non validé" in rules.phase_change_refusal(
        placements, "socle", required=0
    )
    assert (
        rules.phase_change_refusal(placements, "approfondissement", required=0) is None
    )


def test_university_hospitals_are_told_from_general_ones():
    from domains.residents.statistics import _setting

    assert _setting("hospital", "Centre hospitalier universitaire de Rennes") == (
        "Hospitalier — CHU"
    )
    assert _setting("hospital", "Hospices Civils de Lyon") == "Hospitalier — CHU"
    assert _setting("hospital", "CHU Grenoble Alpes") == "Hospitalier — CHU"
    assert _setting("hospital", "Centre hospitalier de Cambrai") == "Hospitalier — CH"
    assert _setting("ambulatory", "Maison de santé") == "Ambulatoire"
