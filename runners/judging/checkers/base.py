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
from typing import ClassVar

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
    compile_error: str | None = None  # the compiler's output when the source did not compile
    reader_language: str = "en"  # the reader's language (`LANGUAGE` for check scripts)


class Checker(ABC):
    # False: a submission that does not compile is judged anyway (no CE), as
    # HackInScience's check scripts see whatever the student wrote.
    needs_build: ClassVar[bool] = True

    @abstractmethod
    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        """The judgement of `test`, and the run whose time and memory it reports.

        Raises JudgeFailure when the judge, not the submission, failed.
        """
