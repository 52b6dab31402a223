"""`exact`: the output must be byte for byte the expected one."""

from __future__ import annotations

from runners.judging.checkers.difference import describe, first_difference
from runners.judging.checkers.judgement import Judgement


def compare(expected: bytes, actual: bytes, tolerance: float, show: bool) -> Judgement:
    if expected == actual:
        return Judgement.accepted()
    if expected == actual + b"\n":
        return Judgement.wrong("Wrong answer: your output lacks the final newline.")
    if actual == expected + b"\n":
        return Judgement.wrong("Wrong answer: your output has an extra newline at the end.")
    want, got = expected.split(b"\n"), actual.split(b"\n")
    index = first_difference(want, got)
    assert index is not None  # different bytes make different lines
    return Judgement.wrong(describe("line", index, want, got, show))
