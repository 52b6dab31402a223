"""`tokens`: equal as sequences of whitespace-separated tokens."""

from __future__ import annotations

from runners.judging.checkers.difference import describe, first_difference
from runners.judging.checkers.outcome import Outcome


def compare(expected: bytes, actual: bytes, tolerance: float, show: bool) -> Outcome:
    want, got = expected.split(), actual.split()
    index = first_difference(want, got)
    if index is None:
        return Outcome.accepted()
    return Outcome.wrong(describe("token", index, want, got, show))
