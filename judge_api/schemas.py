"""Request and response bodies of the HTTP API (msgspec structs: validated on the way in)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar.openapi.spec import Example
from litestar.params import Parameter

from judge_api.catalog import SLUG_MAX
from languages.runs import DEFAULTS
from runners.contests import Format, Phase
from runners.judging.exercise import SLUG
from runners.judging.results import TestResult
from runners.judging.verdict import Verdict
from runners.store.users import NAME_MAX
from sandbox import MiB

Text = Annotated[str, msgspec.Meta(max_length=16 * 1024 * 1024)]
SLUG_PATTERN = f"^{SLUG.pattern}$"
SlugText = Annotated[str, msgspec.Meta(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN)]
Language = Annotated[str, msgspec.Meta(min_length=1, max_length=50, examples=["python"])]
ID_MAX = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL

# One line of text: no control character (a NUL is one, which PostgreSQL refuses).
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def slug_parameter(description: str, example: str) -> Any:
    """A path or query parameter that takes a slug (of an exercise, of a contest)."""
    return Parameter(
        min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN,
        description=f"{description}: lowercase letters, digits, - and _.",
        examples=[Example(value=example)],
    )  # fmt: skip


def name_parameter(description: str) -> Any:
    """A path or query parameter that takes a user's name."""
    return Parameter(
        min_length=1, max_length=NAME_MAX, pattern=LINE_PATTERN,
        description=f"{description}: one line of text, {NAME_MAX} characters at most.",
        examples=[Example(value="alice")],
    )  # fmt: skip


# Path parameters, their range enforced and documented: a value no row can
# have is a 400 with a message, never a query the database chokes on.
Slug = Annotated[str, slug_parameter("An exercise's slug", "hello-world")]
ContestSlug = Annotated[str, slug_parameter("A contest's slug", "cup")]
UserName = Annotated[str, name_parameter("A user's name")]
SubmissionId = Annotated[
    int, Parameter(ge=1, le=ID_MAX, description="A submission's id.", examples=[Example(value=1)])
]


class ErrorOut(msgspec.Struct):
    """Every error: a message for humans, and the HTTP status again."""

    message: str
    status_code: int


class SubmissionIn(msgspec.Struct, forbid_unknown_fields=True):
    exercise: Annotated[SlugText, msgspec.Meta(examples=["hello-world"])]
    language: Language
    source: Annotated[Text, msgspec.Meta(examples=['print("Hello, world!")'])]
    contest: SlugText | None = None


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
    """What a run may use; above the server's caps, a limit is lowered to the cap."""

    time: Annotated[float, msgspec.Meta(gt=0, description="CPU seconds", examples=[1.0])] = (
        DEFAULTS.cpu_time
    )
    memory: Annotated[int, msgspec.Meta(ge=1, description="MiB", examples=[64])] = (
        DEFAULTS.memory // MiB
    )


class RunIn(msgspec.Struct, forbid_unknown_fields=True):
    language: Language
    source: Annotated[Text, msgspec.Meta(examples=["print(input()[::-1])"])]
    stdin: Annotated[Text, msgspec.Meta(examples=["abc\n"])] = ""
    limits: RunLimits = msgspec.field(default_factory=RunLimits)


ECHO = {
    "exercise.toml": 'title = "Echo"\n',
    "wording.md": "Print what you read.\n",
    "tests/1-sample.in": "hi\n",
    "tests/1-sample.out": "hi\n",
}


class ExerciseIn(msgspec.Struct, forbid_unknown_fields=True):
    """An exercise folder as files: relative path -> UTF-8 text (`exercise.toml`...)."""

    files: Annotated[dict[str, Text], msgspec.Meta(examples=[ECHO])]


class NewExerciseIn(ExerciseIn, forbid_unknown_fields=True):
    slug: Annotated[SlugText, msgspec.Meta(examples=["echo"])]


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


# An instant of a contest, kept in UTC; the range survives any timezone's offset.
WHEN_MIN, WHEN_MAX = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
When = Annotated[
    datetime,
    msgspec.Meta(
        tz=True,
        description="ISO 8601 with a timezone, from 1970 to 9998 (in UTC).",
    ),
]
Minutes = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=LINE_PATTERN)]


class ContestIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[Title, msgspec.Meta(examples=["The cup"])]
    exercises: Annotated[
        list[SlugText], msgspec.Meta(min_length=1, max_length=100, examples=[["hello-world"]])
    ]
    start: Annotated[When, msgspec.Meta(examples=["2030-03-01T09:00:00+01:00"])]
    end: Annotated[When, msgspec.Meta(examples=["2030-03-01T14:00:00+01:00"])]
    format: Format
    freeze: Minutes = 0  # minutes before `end` when the public scoreboard stops changing
    penalty: Minutes = 20  # minutes per rejected attempt (icpc)


class NewContestIn(ContestIn, forbid_unknown_fields=True, kw_only=True):
    slug: Annotated[SlugText, msgspec.Meta(examples=["cup"])]


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
