"""What judging a submission produced, test by test."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from runners.judging.verdict import Verdict


@dataclass(frozen=True)
class TestResult:
    """One test: time in CPU seconds, memory in peak bytes, points earned."""

    __test__ = False  # not a pytest test class

    name: str
    verdict: Verdict
    time: float
    memory: int
    points: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "verdict": self.verdict.value}


@dataclass(frozen=True)
class SubmissionResult:
    """The whole submission: `verdict` is the first non-AC test verdict, `score` their points."""

    verdict: Verdict
    score: float
    max_score: float
    compile_output: str | None
    tests: list[TestResult]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `judge submit --json` and of the API."""
        return {
            "verdict": self.verdict.value,
            "score": self.score,
            "max_score": self.max_score,
            "compile_output": self.compile_output,
            "tests": [test.to_dict() for test in self.tests],
        }
