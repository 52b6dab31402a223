"""What a checker is: a strategy that judges one test of a submission.

The pipeline picks the exercise's checker from the registry
(`runners.judging.checkers.CHECKERS`, keyed by `[checker] kind`) and asks it
to judge each test in order. Most checkers run the program on the test's
input and decide on its output (`output.py`); a check script judges the
whole submission as its single test (`script.py`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from languages import Program, Runner
from runners.judging.checkers.judgement import Judgement
from runners.judging.exercise import Exercise, Test
from sandbox import RunResult


@dataclass(frozen=True)
class Context:
    """What every test of one submission is judged with."""

    exercise: Exercise
    program: Program  # the submission, built
    source: bytes
    runner: Runner  # raises JudgeFailure when the sandbox fails


class Checker(ABC):
    @abstractmethod
    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        """The judgement of `test`, and the run whose time and memory it reports.

        Raises JudgeFailure when the judge, not the submission, failed.
        """
