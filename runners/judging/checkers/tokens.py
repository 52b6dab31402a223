"""`tokens`: equal as sequences of whitespace-separated tokens."""

from __future__ import annotations

from runners.judging.checkers.difference import describe, first_difference
from runners.judging.checkers.judgement import Judgement


def compare(expected: bytes, actual: bytes, tolerance: float, show: bool) -> Judgement:
    want, got = expected.split(), actual.split()
    index = first_difference(want, got)
    if index is None:
        return Judgement.accepted()
    return Judgement.wrong(describe("token", index, want, got, show))
