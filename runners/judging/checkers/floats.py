"""`float`: tokens equal, numbers within an absolute or relative tolerance.

A number matches when |got - expected| <= tolerance or
|got - expected| <= tolerance * |expected|. NaN only matches NaN and an
infinity only the same infinity: neither ever equals a finite number. Tokens
of the expected output that are not numbers must match exactly.
"""

from __future__ import annotations

import math
import re

from runners.judging.checkers.difference import describe
from runners.judging.checkers.judgement import Judgement

NUMBER = re.compile(
    rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.IGNORECASE
)


def number(token: bytes) -> float | None:
    """The value of a token written as a decimal number, else None (no '1_000', no hex)."""
    return float(token) if NUMBER.fullmatch(token) else None


def close(want: float, got: float, tolerance: float) -> bool:
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    if math.isinf(want) or math.isinf(got):
        return want == got
    error = abs(got - want)
    return error <= tolerance or error <= tolerance * abs(want)


def same(want: bytes, got: bytes, tolerance: float) -> bool:
    expected = number(want)
    if expected is None:
        return want == got
    actual = number(got)
    return actual is not None and close(expected, actual, tolerance)


def compare(expected: bytes, actual: bytes, tolerance: float, show: bool) -> Judgement:
    want, got = expected.split(), actual.split()
    for index, (w, g) in enumerate(zip(want, got, strict=False)):
        if not same(w, g, tolerance):
            return Judgement.wrong(describe("token", index, want, got, show))
    if len(want) != len(got):
        return Judgement.wrong(describe("token", min(len(want), len(got)), want, got, show))
    return Judgement.accepted()
