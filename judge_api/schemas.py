"""Request and response bodies of the HTTP API (msgspec structs: validated on the way in)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from runners.contests import Format, Phase
from runners.judging.results import TestResult
from runners.judging.verdict import Verdict

Text = Annotated[str, msgspec.Meta(max_length=16 * 1024 * 1024)]
Slug = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class SubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    exercise: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    language: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    source: Text
    contest: Slug | None = None


class SubmissionSummary(msgspec.Struct):
    """A submission without its tests (as listed by `GET /submissions`)."""

    id: int
    exercise: str
    language: str
    status: str  # queued | judging | done
    verdict: Verdict | None
    score: float | None
    max_score: float | None
    compile_output: str | None
    created_at: str
    judged_at: str | None
    user: str | None
    contest: str | None  # its slug; None outside contests


class SubmissionOut(SubmissionSummary):
    tests: list[TestResult]


class RunLimits(msgspec.Struct, forbid_unknown_fields=True):
    time: Annotated[float, msgspec.Meta(gt=0)] | None = None  # CPU seconds
    memory: Annotated[int, msgspec.Meta(ge=1)] | None = None  # MiB


class RunIn(msgspec.Struct, forbid_unknown_fields=True):
    language: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    source: Text
    stdin: Text = ""
    limits: RunLimits = msgspec.field(default_factory=RunLimits)


class RunOut(msgspec.Struct):
    status: str
    exit_code: int | None
    signal: int | None
    time: float
    wall_time: float
    memory: int
    stdout: str
    stderr: str
    compile_output: str | None


class ExerciseIn(msgspec.Struct, forbid_unknown_fields=True):
    """An exercise folder as files: relative path -> UTF-8 text (`exercise.toml`...)."""

    files: dict[str, Text]


class NewExerciseIn(ExerciseIn, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ExerciseStats(msgspec.Struct):
    slug: str
    title: str
    attempts: int  # users who submitted
    solves: int  # users with an AC


class StatsOut(msgspec.Struct):
    users: int
    submissions: int
    exercises: list[ExerciseStats]


class HealthOut(msgspec.Struct):
    status: str
    database: str
    queue: str


class SubmissionPage(msgspec.Struct):
    items: list[SubmissionSummary]  # newest first
    next: str | None  # the `cursor` of the next page; None on the last


class SourceOut(msgspec.Struct):
    language: str
    source: str


class RejudgeOut(msgspec.Struct):
    count: int  # submissions put back in the queue


class MeOut(msgspec.Struct):
    name: str
    role: str


class ExerciseProgress(msgspec.Struct):
    exercise: str
    attempts: int  # submissions
    solved: bool  # one was AC


class UserProgress(msgspec.Struct):
    """One user's progress, as HackInScience shows it: exercises solved and attempted."""

    user: str
    role: str
    solved: int
    attempted: int
    submissions: int


class UserProgressOut(UserProgress):
    exercises: list[ExerciseProgress]


# ISO 8601 with a timezone: "2030-01-01T09:00:00+01:00" or "...Z"
When = Annotated[datetime, msgspec.Meta(tz=True)]
Minutes = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]


class ContestIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    exercises: Annotated[list[Slug], msgspec.Meta(min_length=1, max_length=100)]
    start: When
    end: When
    format: Format
    freeze: Minutes = 0  # minutes before `end` when the public scoreboard stops changing
    penalty: Minutes = 20  # minutes per rejected attempt (icpc)


class NewContestIn(ContestIn, forbid_unknown_fields=True, kw_only=True):
    slug: Slug


class ContestOut(msgspec.Struct):
    slug: str
    title: str
    exercises: list[str]
    start: str
    end: str
    format: Format
    freeze: int
    penalty: int
    phase: Phase  # upcoming | running | ended, when asked
