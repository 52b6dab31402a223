"""What a checker decided about one output."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from runners.judging.verdict import Verdict


@dataclass(frozen=True)
class Judgement:
    """`fraction`: of the test's points earned (1 for AC, 0 for WA); `message`: for the student."""

    verdict: Verdict
    fraction: Fraction
    message: str = ""

    @classmethod
    def accepted(cls, message: str = "") -> Judgement:
        return cls(Verdict.AC, Fraction(1), message)

    @classmethod
    def wrong(cls, message: str) -> Judgement:
        return cls(Verdict.WA, Fraction(0), message)

    @classmethod
    def partial(cls, fraction: Fraction, message: str) -> Judgement:
        """AC for 1, WA for 0, PA in between."""
        if fraction >= 1:
            return cls.accepted(message)
        if fraction <= 0:
            return cls.wrong(message)
        return cls(Verdict.PA, fraction, message)
