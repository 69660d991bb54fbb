"""The 107 % rule per DES and phase, with coupled and mixed posts and a region's own
formula for large DES. Pure: no database."""

from fractions import Fraction

import pytest

from domains.choices.opening_rule import OpenedPost, Rule, coverage

MCA, MGE = ("DES-MCA", "socle"), ("DES-MGE", "socle")


@pytest.mark.parametrize(
    "choosing, needed", [(0, 0), (1, 2), (14, 15), (100, 107), (15, 17), (200, 214)]
)
def test_posts_needed_are_ceil_of_107_percent_exactly(choosing, needed):
    assert Rule().needed(choosing) == needed


def test_a_region_may_use_residents_plus_a_margin_above_a_threshold():
    rule = Rule(threshold=300, extra=30)
    assert rule.needed(300) == 321  # 1.07 × 300 up to the threshold
    assert rule.needed(500) == 530  # 500 + 30 above it, not 535


def test_coverage_counts_coupled_once_and_mixed_in_each_des():
    lines = coverage(
        {MCA: 14, MGE: 2},
        [
            OpenedPost("p1", (MCA,), seats=12),
            OpenedPost("couple", (MCA,), seats=1, coupled=True),
            OpenedPost("mixte", (MCA, MGE), seats=2),
        ],
    )
    by_group = {line.group: line for line in lines}
    mca, mge = by_group[MCA], by_group[MGE]
    assert (mca.opened, mca.needed, mca.margin, mca.met) == (15, 15, 0, True)
    assert (mca.mixed, mca.coupled) == (2, 1)
    assert (mge.opened, mge.needed, mge.met) == (2, 3, False)
    assert mge.margin == -1
    assert mca.ratio == Fraction(15, 14)


def test_a_des_with_posts_but_nobody_choosing_is_listed_and_met():
    (line,) = coverage({}, [OpenedPost("p", (MGE,), seats=3)])
    assert (line.choosing, line.needed, line.opened, line.met) == (0, 0, 3, True)
    assert line.ratio is None


def test_rules_per_des_apply_to_their_des_only():
    lines = coverage(
        {MCA: 400, MGE: 400}, [], rules={"DES-MGE": Rule(threshold=300, extra=30)}
    )
    assert {line.group: line.needed for line in lines} == {MCA: 428, MGE: 430}
