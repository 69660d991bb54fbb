"""The opening rule (107 %), pure: no Django.

For each DES and phase, the posts opened must cover the residents who choose with a
margin: at least ceil(ratio × choosing) posts (1.07 by default); a region may use
another formula for large DES (choosing + `extra` above `threshold` residents).
A coupled post (one choice, a seat on each of two sites) counts once; a mixed post
(one seat open to several DES) counts once in each DES it is open to, and is flagged.
Exact arithmetic (fractions): 1.07 × 100 needs 107 posts, never 108.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

Group = tuple[str, str]  # (DES code, phase code)


@dataclass(frozen=True)
class Rule:
    ratio: Fraction = Fraction(107, 100)
    # Above `threshold` residents choosing, `choosing + extra` posts instead.
    threshold: int | None = None
    extra: int | None = None

    def needed(self, choosing: int) -> int:
        if choosing <= 0:
            return 0
        if self.uses_extra(choosing):
            return choosing + self.extra
        return ceil(self.ratio * choosing)

    def uses_extra(self, choosing: int) -> bool:
        """Whether `choosing + extra` (not the ratio) gives the posts needed."""
        return (
            self.threshold is not None
            and self.extra is not None
            and (choosing > self.threshold)
        )

    @property
    def percent(self) -> float:
        """The ratio as people write it: 107 (%)."""
        return float(self.ratio * 100)


@dataclass(frozen=True)
class OpenedPost:
    id: str
    groups: tuple[Group, ...]  # several: a mixed post
    seats: int = 1
    coupled: bool = False  # one choice taking a seat on each of two sites


@dataclass(frozen=True)
class Coverage:
    group: Group
    choosing: int
    needed: int
    opened: int
    mixed: int  # of the opened, open to other DES too
    coupled: int
    # The rule the needs come from; None when lines of several regions with different
    # rules were added up.
    rule: Rule | None = None

    @property
    def margin(self) -> int:
        return self.opened - self.needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.opened)

    @property
    def met(self) -> bool:
        return self.opened >= self.needed

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.opened, self.choosing) if self.choosing else None

    @property
    def by_extra(self) -> bool:
        """The needs come from `choosing + extra` (above the threshold), not the ratio."""
        return self.rule is not None and self.rule.uses_extra(self.choosing)


def coverage(
    choosing: dict[Group, int],
    posts: list[OpenedPost],
    rules: dict[str, Rule] | None = None,
    default: Rule = Rule(),
) -> list[Coverage]:
    """One line per DES and phase that has residents choosing or posts opened,
    sorted; `rules` per DES code (the region's), else `default`."""
    rules = rules or {}
    opened: dict[Group, int] = defaultdict(int)
    mixed: dict[Group, int] = defaultdict(int)
    coupled: dict[Group, int] = defaultdict(int)
    for post in posts:
        if post.seats < 0:
            raise ValueError(f"poste {post.id} : nombre de places négatif")
        for group in set(post.groups):
            opened[group] += post.seats
            if len(set(post.groups)) > 1:
                mixed[group] += post.seats
            if post.coupled:
                coupled[group] += post.seats
    lines = []
    for group in sorted(set(choosing) | set(opened)):
        n = choosing.get(group, 0)
        rule = rules.get(group[0], default)
        lines.append(
            Coverage(
                group=group,
                choosing=n,
                needed=rule.needed(n),
                opened=opened[group],
                mixed=mixed[group],
                coupled=coupled[group],
                rule=rule,
            )
        )
    return lines
