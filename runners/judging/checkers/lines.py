"""`lines` (the default): equal after dropping trailing spaces and trailing blank lines.

Trailing whitespace includes a CR, so CRLF and LF line ends compare equal.
"""

from __future__ import annotations

from runners.judging.checkers.difference import describe, first_difference
from runners.judging.checkers.judgement import Judgement


def normalize(output: bytes) -> list[bytes]:
    lines = [line.rstrip() for line in output.split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def compare(expected: bytes, actual: bytes, tolerance: float, show: bool) -> Judgement:
    want, got = normalize(expected), normalize(actual)
    index = first_difference(want, got)
    if index is None:
        return Judgement.accepted()
    return Judgement.wrong(describe("line", index, want, got, show))
