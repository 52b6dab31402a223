"""The database tables: users and their tokens, exercises, submissions, runs and contests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from runners.judging.exercise import PublicExercise
from runners.judging.results import RunOutput, RunReport, TestResult


class Base(DeclarativeBase):
    pass


class Typed(TypeDecorator[Any]):
    """A JSON column holding one msgspec type: validated when read, plain JSON when written."""

    impl = JSON
    cache_ok = True

    def __init__(self, kind: Any) -> None:
        super().__init__()
        self.kind = kind

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return msgspec.to_builtins(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return msgspec.convert(value, self.kind)


class UserRow(Base):
    """Someone who calls the API: a unique name and a role, with any number of tokens."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TokenRow(Base):
    """An API token of a user; only the sha256 of the secret is kept."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # refreshed at most once a minute (`runners.store.users.LAST_USED_PRECISION`)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ExerciseRow(Base):
    """An exercise as synced from its folder: the public view, plus who may edit it."""

    __tablename__ = "exercises"

    slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    public: Mapped[PublicExercise] = mapped_column(Typed(PublicExercise))
    languages: Mapped[list[str]] = mapped_column(JSON)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SubmissionRow(Base):
    """A submission; the row is the source of truth for the queue and the workers.

    `attempt` counts claims by workers (only the latest attempt may add
    tests); the claim is its worker's until `lease_until`, which the worker
    renews while it judges (see runners/store/lease.py); `heartbeat_at` is the
    last sign of life (a claim, a renewal, a finished test); `failures` counts
    infrastructure failures; `generation` counts rejudges (a worker's writes
    count only within the generation it claimed). `owner` and `contest` are
    loaded with the row (one join), for the views' `user` and `contest`.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        # GET /submissions: newest first (id descending) under each filter
        Index("ix_submissions_owner_id_id", "owner_id", "id"),
        Index("ix_submissions_owner_id_exercise_id", "owner_id", "exercise", "id"),
        Index("ix_submissions_exercise_id", "exercise", "id"),
        Index("ix_submissions_contest_id_id", "contest_id", "id"),
        Index("ix_submissions_verdict_id", "verdict", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(50))
    source: Mapped[bytes] = mapped_column(LargeBinary)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contests.id"), nullable=True)
    # the language tag the submitter reads (`fr`): check scripts see it as LANGUAGE
    reader_language: Mapped[str] = mapped_column(String(), default="en", server_default="en")
    status: Mapped[str] = mapped_column(String(10), index=True)
    verdict: Mapped[str | None] = mapped_column(String(5), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    compile_output: Mapped[str | None] = mapped_column(Text, nullable=True)
    tests: Mapped[list[TestResult]] = mapped_column(Typed(list[TestResult]))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    judged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # seconds from created to judged
    latency: Mapped[float | None] = mapped_column(Float, nullable=True)

    owner: Mapped[UserRow | None] = relationship(lazy="joined")
    contest: Mapped[ContestRow | None] = relationship(lazy="joined")


class ContestRow(Base):
    """A contest: its exercises (slugs, in order), its window, its rules.

    The public scoreboard stops changing `freeze_minutes` before `end_at`;
    `penalty_minutes` are per rejected attempt (icpc).
    """

    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    format: Mapped[str] = mapped_column(String(10))
    exercises: Mapped[list[str]] = mapped_column(JSON)
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    freeze_minutes: Mapped[int] = mapped_column(Integer)
    penalty_minutes: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EntrantRow(Base):
    """A user registered to a contest (`POST /contests/{slug}/join`)."""

    __tablename__ = "contest_entrants"

    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RunRow(Base):
    """A run (`POST /runs`): one source built and run once on an input, by a worker.

    The same life as a submission's (queued -> judging -> done, attempts and a
    lease) so that runs go through the queue and the workers, never through
    the API's threads; `report` is the result, set once.
    """

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    language: Mapped[str] = mapped_column(String(50))
    source: Mapped[bytes] = mapped_column(LargeBinary)
    stdin: Mapped[bytes] = mapped_column(LargeBinary)
    time_limit: Mapped[float] = mapped_column(Float)  # CPU seconds
    memory_limit: Mapped[int] = mapped_column(Integer)  # MiB
    status: Mapped[str] = mapped_column(String(10), index=True)
    report: Mapped[RunReport | None] = mapped_column(Typed(RunReport | None), nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Runs made through the Judge0 API (judge_api/judge0/): fetched by an opaque
    # token, judged against an expected output, their output kept as bytes.
    token: Mapped[str | None] = mapped_column(String(36), unique=True, index=True, nullable=True)
    expected_output: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    wall_time_limit: Mapped[float | None] = mapped_column(Float, nullable=True)  # None: derived
    judge0_language: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 48-50 all C
    output: Mapped[RunOutput | None] = mapped_column(Typed(RunOutput | None), nullable=True)
