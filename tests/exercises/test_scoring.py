"""Spreading points over tests, subtasks all-or-nothing (pure)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from runners.judging.scoring import plan, spread

ONE, ZERO = Fraction(1), Fraction(0)


def test_spread_is_exact() -> None:
    shares = spread(Fraction(100), 3)
    assert shares == [Fraction("33.34"), Fraction("33.33"), Fraction("33.33")]
    assert sum(shares) == 100
    assert sum(spread(Fraction(1, 3), 7)) == Fraction(1, 3)
    assert spread(Fraction(10), 0) == []


def test_points_spread_over_tests() -> None:
    scoring = plan(["a", "b", "c"], None, [])
    assert scoring.max_score == 100
    earned = scoring.earned({"a": ONE, "b": Fraction(1, 2), "c": ZERO})
    assert earned == {"a": Fraction("33.34"), "b": Fraction("16.665"), "c": ZERO}


def test_subtasks_are_all_or_nothing() -> None:
    subtasks = [(("1-a", "1-b"), Fraction(40)), (("2-a", "2-b"), Fraction(60))]
    scoring = plan(["0-sample", "1-a", "1-b", "2-a", "2-b"], None, subtasks)
    assert scoring.max_score == 100
    outcomes = {"0-sample": ONE, "1-a": ONE, "1-b": ONE, "2-a": ONE, "2-b": Fraction(1, 2)}
    earned = scoring.earned(outcomes)
    assert earned == {"0-sample": 0, "1-a": 20, "1-b": 20, "2-a": 0, "2-b": 0}
    assert sum(earned.values()) == 40


def test_tests_outside_subtasks_share_the_leftover() -> None:
    scoring = plan(["s1", "s2", "x"], Fraction(100), [(("x",), Fraction(70))])
    assert scoring.max_score == 100
    assert scoring.earned({"s1": ONE, "s2": ZERO, "x": ONE}) == {"s1": 15, "s2": 0, "x": 70}


def test_overlapping_subtasks_add_up() -> None:
    scoring = plan(["a", "b"], None, [(("a",), Fraction(10)), (("a", "b"), Fraction(20))])
    assert scoring.max_score == 30
    assert scoring.earned({"a": ONE, "b": ZERO}) == {"a": 10, "b": 0}
    assert sum(scoring.earned({"a": ONE, "b": ONE}).values()) == 30


def test_provisional_points_count_missing_tests_as_passing() -> None:
    scoring = plan(["a", "b"], None, [(("a", "b"), Fraction(50))])
    assert scoring.earned({"a": ONE})["a"] == 25
    assert scoring.earned({"a": ONE, "b": ZERO})["a"] == 0


@pytest.mark.parametrize(
    ("tests", "points", "message"),
    [
        (["a", "b"], Fraction(30), "more than the total"),
        (["a"], Fraction(80), "every test is in one"),
    ],
)
def test_impossible_totals(tests: list[str], points: Fraction, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan(tests, points, [(tuple(tests), Fraction(50))])
