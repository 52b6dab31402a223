"""Checkers: decide whether a program's output answers a test.

`exact`, `lines`, `tokens` and `float` compare outputs in the judge's process
(`COMPARATORS`); `custom` runs the exercise's checker.py in the sandbox;
`script` runs check.py in the sandbox instead of the tests (see runners.judging.pipeline).
"""

from __future__ import annotations

from collections.abc import Callable

from runners.judging.checkers import exact, floats, lines, tokens
from runners.judging.checkers.outcome import Outcome

# compare(expected, actual, tolerance, show) -> Outcome; `show`: the test's data may be shown
Comparator = Callable[[bytes, bytes, float, bool], Outcome]

COMPARATORS: dict[str, Comparator] = {
    "exact": exact.compare,
    "lines": lines.compare,
    "tokens": tokens.compare,
    "float": floats.compare,
}

__all__ = ["COMPARATORS", "Comparator", "Outcome"]
