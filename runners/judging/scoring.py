"""How points are spread over tests and earned.

Points are exact fractions here: a total is spread in hundredths, the first
tests getting the odd hundredths, so the shares always add up to the total
(100 over 3 tests is 33.34 + 33.33 + 33.33). A `[[subtasks]]` group is
all-or-nothing: its points are spread over its tests the same way and each test
gets its share only when every test of the group is `AC`. Tests outside every
subtask share what `[scoring] points` leaves over, each earning its share times
its checker's fraction (so `PA` counts there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


def spread(total: Fraction, count: int) -> list[Fraction]:
    """`total` split into `count` shares of whole hundredths, adding up exactly."""
    if count == 0:
        return []
    hundredths = total * 100
    base, extra = divmod(hundredths.numerator // hundredths.denominator, count)
    shares = [Fraction(base + (1 if i < extra else 0), 100) for i in range(count)]
    shares[-1] += total - sum(shares, Fraction(0))  # totals with finer digits than hundredths
    return shares


@dataclass(frozen=True)
class Group:
    """Tests sharing `points`: all-or-nothing for a subtask, per test for the rest."""

    tests: tuple[str, ...]
    points: Fraction
    all_or_nothing: bool


class Scoring:
    """The points each test can earn, and what a set of outcomes earns."""

    def __init__(self, groups: Sequence[Group]) -> None:
        self.groups = tuple(groups)
        self._shares = [
            dict(zip(g.tests, spread(g.points, len(g.tests)), strict=True)) for g in groups
        ]
        # test -> (group index, its share there): what `Tally` needs, test by test
        self._memberships: dict[str, list[tuple[int, Fraction]]] = {}
        for index, shares in enumerate(self._shares):
            for test, share in shares.items():
                self._memberships.setdefault(test, []).append((index, share))

    @property
    def max_score(self) -> Fraction:
        return sum((group.points for group in self.groups if group.tests), Fraction(0))

    def earned(self, outcomes: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """Points of each test given `outcomes` (test name -> fraction of success).

        A test missing from `outcomes` is not judged yet and counts as passing,
        which gives the provisional points of the tests judged so far.
        """
        points: dict[str, Fraction] = {}
        for group, shares in zip(self.groups, self._shares, strict=True):
            passed = all(outcomes.get(test, Fraction(1)) == 1 for test in group.tests)
            for test, share in shares.items():
                fraction = (1 if passed else 0) if group.all_or_nothing else outcomes.get(test, 1)
                points[test] = points.get(test, Fraction(0)) + share * fraction
        return points


class Tally:
    """Provisional points as tests are judged in order, each in constant time.

    The same as `Scoring.earned` of the outcomes so far for the test just
    judged, without going over every test each time: a thousand tests cost
    a thousand times one.
    """

    def __init__(self, scoring: Scoring) -> None:
        self.scoring = scoring
        self.failed: set[int] = set()  # all-or-nothing groups that lost their points

    def record(self, test: str, fraction: Fraction) -> Fraction:
        """The provisional points of `test`, judged with `fraction` of success."""
        points = Fraction(0)
        for index, share in self.scoring._memberships.get(test, []):
            if not self.scoring.groups[index].all_or_nothing:
                points += share * fraction
                continue
            if fraction != 1:
                self.failed.add(index)
            if index not in self.failed:
                points += share
        return points


def plan(
    tests: Sequence[str],
    points: Fraction | None,
    subtasks: Sequence[tuple[Sequence[str], Fraction]],
) -> Scoring:
    """The scoring of an exercise: `points` (None: unset) and its subtasks' tests and points.

    Without subtasks, `points` (default 100) is spread over every test. With
    subtasks, the total is `points` when set (the rest going to the tests of no
    subtask), else the sum of the subtasks' points. Raises ValueError when the
    numbers cannot add up.
    """
    if not subtasks:
        return Scoring([Group(tuple(tests), Fraction(100) if points is None else points, False)])
    groups = [Group(tuple(names), value, True) for names, value in subtasks]
    in_subtasks = {name for names, _ in subtasks for name in names}
    rest = tuple(name for name in tests if name not in in_subtasks)
    subtotal = sum((value for _, value in subtasks), Fraction(0))
    leftover = Fraction(0) if points is None else points - subtotal
    if leftover < 0:
        raise ValueError(
            f"the subtasks give {float(subtotal):g} points,"
            f" more than the total {float(points or 0):g}"
        )
    if leftover > 0 and not rest:
        raise ValueError(
            f"{float(leftover):g} points are left for tests outside the subtasks,"
            " but every test is in one"
        )
    if rest:
        groups.append(Group(rest, leftover, False))
    return Scoring(groups)
