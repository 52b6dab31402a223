"""Submissions in the database: the state machine queued -> judging -> done, safe under redelivery.

Every write is a conditional UPDATE so that a message judged twice (a
redelivery, a re-enqueue by the sweeper) still writes one result: the first
`finish` wins, and only the latest claim (`attempt`) may add partial tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from runners.judging.results import SubmissionResult, TestResult
from runners.store.database import Database, now
from runners.store.models import SubmissionRow

QUEUED, JUDGING, DONE = "queued", "judging", "done"


@dataclass(frozen=True)
class Claim:
    """What a worker needs to judge one submission."""

    id: int
    exercise: str
    language: str
    source: bytes
    attempt: int


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create(db: Database, exercise: str, language: str, source: bytes, owner_id: int | None) -> int:
    """Store a new queued submission and return its id."""
    moment = now()
    row = SubmissionRow(
        exercise=exercise, language=language, source=source, owner_id=owner_id,
        status=QUEUED, tests=[], attempt=0, failures=0, created_at=moment, enqueued_at=moment,
    )  # fmt: skip
    with db.session() as session:
        session.add(row)
        session.flush()
        return row.id


def delete(db: Database, submission_id: int) -> None:
    """Forget a submission that could not be enqueued (it was never accepted)."""
    with db.session() as session:
        row = session.get(SubmissionRow, submission_id)
        if row is not None:
            session.delete(row)


def get(db: Database, submission_id: int) -> SubmissionRow | None:
    with db.session() as session:
        return session.get(SubmissionRow, submission_id)


def claim(db: Database, submission_id: int) -> Claim | None:
    """Mark a submission `judging` under a new attempt; None if done or unknown."""
    with db.session() as session:
        attempt = session.scalar(
            update(SubmissionRow)
            .where(SubmissionRow.id == submission_id, SubmissionRow.status != DONE)
            .values(status=JUDGING, attempt=SubmissionRow.attempt + 1, heartbeat_at=now(), tests=[])
            .returning(SubmissionRow.attempt)
        )
        if attempt is None:
            return None
        row = session.get_one(SubmissionRow, submission_id)
        return Claim(row.id, row.exercise, row.language, row.source, attempt)


def add_test(db: Database, claim: Claim, tests: list[TestResult]) -> None:
    """Record the tests finished so far by this attempt (ignored if superseded).

    The worker calls it for a batch of tests, at most every second or so:
    live progress travels by notices (runners/queue/notify.py), and this
    keeps the row's heartbeat fresh for the sweeper.
    """
    with db.session() as session:
        session.execute(
            update(SubmissionRow)
            .where(
                SubmissionRow.id == claim.id,
                SubmissionRow.attempt == claim.attempt,
                SubmissionRow.status == JUDGING,
            )
            .values(tests=tests, heartbeat_at=now())
        )


def finish(
    db: Database, submission_id: int, result: SubmissionResult, error: str | None = None
) -> bool:
    """Write the final result unless one was written already; True if this call wrote it."""
    moment = now()
    with db.session() as session:
        created = session.scalar(
            select(SubmissionRow.created_at).where(SubmissionRow.id == submission_id)
        )
        if created is None:
            return False
        written = session.scalar(
            update(SubmissionRow)
            .where(SubmissionRow.id == submission_id, SubmissionRow.status != DONE)
            .values(
                status=DONE,
                verdict=result.verdict.value,
                score=result.score,
                max_score=result.max_score,
                compile_output=result.compile_output,
                tests=result.tests,
                error=error,
                judged_at=moment,
                latency=(moment - aware(created)).total_seconds(),
            )
            .returning(SubmissionRow.id)
        )
        return written is not None


def release(db: Database, claim: Claim, reason: str) -> None:
    """Give a claimed submission back to the queue after an infrastructure failure."""
    with db.session() as session:
        session.execute(
            update(SubmissionRow)
            .where(SubmissionRow.id == claim.id, SubmissionRow.attempt == claim.attempt)
            .where(SubmissionRow.status == JUDGING)
            .values(
                status=QUEUED,
                failures=SubmissionRow.failures + 1,
                error=reason,
                enqueued_at=now(),
            )
        )


def count_failure(db: Database, submission_id: int, reason: str) -> None:
    """Count an infrastructure failure that ends the submission (it is finished as IE)."""
    with db.session() as session:
        session.execute(
            update(SubmissionRow)
            .where(SubmissionRow.id == submission_id)
            .values(failures=SubmissionRow.failures + 1, error=reason)
        )


def pending(db: Database) -> list[int]:
    """Every submission accepted and not judged yet."""
    with db.session() as session:
        return list(session.scalars(select(SubmissionRow.id).where(SubmissionRow.status != DONE)))


def stale(db: Database, older_than: float) -> list[tuple[int, datetime]]:
    """Submissions queued or judging with no progress for `older_than` seconds.

    Returns (id, enqueued_at) pairs for `reenqueue`'s compare-and-set.
    """
    cutoff = now() - timedelta(seconds=older_than)
    with db.session() as session:
        rows = session.execute(
            select(SubmissionRow.id, SubmissionRow.enqueued_at).where(
                (
                    (SubmissionRow.status == QUEUED) & (SubmissionRow.enqueued_at < cutoff)
                ) | (
                    (SubmissionRow.status == JUDGING)
                    & (SubmissionRow.heartbeat_at < cutoff)
                    & (SubmissionRow.enqueued_at < cutoff)
                )
            )
        )  # fmt: skip
        return [(row.id, row.enqueued_at) for row in rows]


def reenqueue(db: Database, submission_id: int, seen: datetime) -> bool:
    """Bump `enqueued_at` if nobody else did since `seen`; True if the caller should enqueue."""
    with db.session() as session:
        bumped = session.scalar(
            update(SubmissionRow)
            .where(SubmissionRow.id == submission_id, SubmissionRow.enqueued_at == seen)
            .where(SubmissionRow.status != DONE)
            .values(enqueued_at=now())
            .returning(SubmissionRow.id)
        )
        return bumped is not None
