"""Submissions in the database: the state machine queued -> judging -> done, safe under redelivery.

Every write is a conditional UPDATE so that a message judged twice (a
redelivery, a re-enqueue by the sweeper) still writes one result: the first
`finish` wins, and only the latest claim (`attempt`) may add partial tests.
A claim holds a lease that its worker renews while judging (lease.py): a
message that arrives meanwhile claims nothing and counts no attempt, so a
submission is judged again only when nobody is judging it (its worker died,
or gave it back after an infrastructure failure), at most `max_attempts`
claims in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from runners.judging.results import SubmissionResult, TestResult
from runners.store import lease
from runners.store.database import Database, now
from runners.store.models import SubmissionRow

QUEUED, JUDGING, DONE = lease.QUEUED, lease.JUDGING, lease.DONE


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


def claim(db: Database, submission_id: int, lease_seconds: float) -> Claim | None:
    """Take a submission under a new attempt and a lease; None if done, unknown or leased."""
    with db.session() as session:
        attempt = lease.take(
            session, SubmissionRow, submission_id, lease_seconds, heartbeat_at=now(), tests=[]
        )
        if attempt is None:
            return None
        row = session.get_one(SubmissionRow, submission_id)
        return Claim(row.id, row.exercise, row.language, row.source, attempt)


def renew(db: Database, claim: Claim, lease_seconds: float) -> bool:
    """Extend the claim's lease while judging goes on; False when it was lost."""
    with db.session() as session:
        return lease.renew(
            session, SubmissionRow, claim.id, claim.attempt, lease_seconds, heartbeat_at=now()
        )


def add_test(db: Database, claim: Claim, tests: list[TestResult]) -> None:
    """Record the tests finished so far by this attempt (ignored if superseded)."""
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
                lease_until=None,
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
