"""An exercise as the judge sees it, loaded from its folder (see exercises/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from runners.judging.scoring import Scoring

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
SCRIPT_TEST = "check"  # the one test of a `script` exercise
DEFAULT_LANGUAGE = "en"  # the language of wording.md; wording.<lang>.md are translations
# The exercise format's defaults (the contract's `exercise.toml`).
DEFAULT_TIME = 1.0  # CPU seconds per test; the wall time defaults to 3 x this
DEFAULT_MEMORY = 256  # MiB
DEFAULT_TOLERANCE = 1e-6
DEFAULT_CHECKER_TIME = 10.0  # CPU seconds for checker.py or check.py
DEFAULT_SAMPLES = ("*sample*",)  # tests whose data may be shown
# What the format's numbers may be, bounds included. Beyond them a value is a
# slip or an attack that breaks what comes after: `time = inf` overflows the
# sandbox's deadlines, `memory = 10^17` its byte counts, `points = 1e308` sums
# to infinity (and TOML's inf and nan are refused as numbers anyway).
TIME_RANGE = (0.001, 3600.0)  # CPU seconds per test, and for checker.py or check.py
WALL_TIME_MAX = 3 * TIME_RANGE[1]  # seconds; at least `time`
MEMORY_RANGE = (8, 1024 * 1024)  # MiB: 8 MiB to 1 TiB
POINTS_RANGE = (0.001, 1_000_000.0)  # `[scoring] points` and each subtask's


class CheckerKind(StrEnum):
    """What `[checker] kind` may name; runners.judging.checkers has one checker for each."""

    EXACT = "exact"  # bytes equal
    LINES = "lines"  # equal but for trailing spaces and trailing blank lines (the default)
    TOKENS = "tokens"  # equal as whitespace-separated tokens
    FLOAT = "float"  # tokens equal, numbers within a tolerance
    CUSTOM = "custom"  # checker.py decides, per test
    SCRIPT = "script"  # check.py judges the whole submission (HackInScience style)
    INTERACTIVE = "interactive"  # interactor.py talks with the program, per test


class ExerciseError(ValueError):
    """A broken exercise folder; the message names the file, key and problem."""


@dataclass(frozen=True)
class ExerciseLimits:
    """Per test: CPU seconds, wall seconds, memory in MiB."""

    time: float
    wall_time: float
    memory: int


@dataclass(frozen=True)
class CheckerConfig:
    kind: CheckerKind
    tolerance: float  # float checker only
    time: float  # CPU seconds for checker.py or check.py


@dataclass(frozen=True)
class ExerciseIO:
    """`[io]`: files in the program's working directory standing for stdin and stdout.

    `input`: the test's input is that file (stdin is empty); `output`: the
    answer is read from that file (stdout is ignored). None: the stream.
    """

    input: str | None = None
    output: str | None = None


@dataclass(frozen=True)
class Subtask:
    name: str
    tests: tuple[str, ...]  # names matched by its patterns, in order
    points: float
    stop_on_failure: bool  # skip the rest of the subtask after its first failed test


@dataclass(frozen=True)
class Test:
    __test__ = False  # not a pytest test class

    name: str
    input: Path | None  # None for the single test of a script exercise
    output: Path | None
    sample: bool  # data may be shown to students


@dataclass(frozen=True)
class Exercise:
    slug: str
    path: Path
    title: str
    wording: str
    languages: tuple[str, ...]
    limits: ExerciseLimits
    checker: CheckerConfig
    tests: tuple[Test, ...]
    subtasks: tuple[Subtask, ...]
    scoring: Scoring = field(repr=False, compare=False)
    io: ExerciseIO = ExerciseIO()  # stdin and stdout unless `[io]` says otherwise
    translations: dict[str, str] = field(default_factory=dict)  # language -> wording

    @property
    def max_score(self) -> float:
        return float(self.scoring.max_score)

    @property
    def test_names(self) -> tuple[str, ...]:
        return tuple(test.name for test in self.tests)

    @property
    def checker_path(self) -> Path:
        return self.path / "checker.py"

    @property
    def interactor_path(self) -> Path:
        return self.path / "interactor.py"

    @property
    def check_path(self) -> Path:
        return self.path / "check.py"

    @property
    def pre_check_path(self) -> Path:
        return self.path / "pre_check.py"

    @property
    def testenv(self) -> Path:
        return self.path / "testenv"

    @property
    def solutions_dir(self) -> Path:
        return self.path / "solutions"
