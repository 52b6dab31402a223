"""Submissions in the database: the state machine, safe under redelivery and rejudges.

```
              claim                finish: the first result of its generation
    queued ----------> judging ---------------------------------------> done
     ^  ^                |  ^  |
     |  +--- release ----+  +--+ claim again once its lease lapsed: its worker died (attempt + 1)
     |    (judge failed)
     +------ rejudge (generation + 1) ------ from judging or done
```

Every write is a conditional UPDATE so that a message judged twice (a
redelivery, a re-enqueue by the sweeper) still writes one result: the first
`finish` wins, and only the latest claim (`attempt`) may add partial tests.

A rejudge puts a judging or done submission back to `queued` under a new
`generation`, its result cleared and `attempt` back to 0 (a queued one is
left alone: it will be judged with the exercise as it is then). A claim
carries the generation it claimed, and every write of a worker (`add_test`,
`finish`, `release`, `count_failure`) requires the row to be in that
generation still. A judging that a rejudge overtook runs on but writes
nothing: a rejudge racing a first judging leaves one result, the new
generation's, and the first judging's message, if it comes again, finds the
rejudged row to claim like any other.

A claim holds a lease that its worker renews while judging (lease.py): a
message that arrives meanwhile claims nothing and counts no attempt, so a
submission is judged again only when nobody is judging it (its worker died,
or gave it back after an infrastructure failure), at most `max_attempts`
claims in all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, update

from runners.judging.results import SubmissionResult, TestResult
from runners.store import lease
from runners.store.database import Database, aware, now
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
    generation: int = 0
    reader_language: str = "en"  # the submitter's, for check scripts (`LANGUAGE`)
    contest_id: int | None = None


def create(
    db: Database,
    exercise: str,
    language: str,
    source: bytes,
    owner_id: int | None,
    contest_id: int | None = None,
    reader_language: str = "en",
) -> int:
    """Store a new queued submission and return its id."""
    moment = now()
    row = SubmissionRow(
        exercise=exercise, language=language, source=source, owner_id=owner_id,
        contest_id=contest_id, status=QUEUED, tests=[], attempt=0, failures=0, generation=0,
        created_at=moment, enqueued_at=moment, reader_language=reader_language,
    )  # fmt: skip
    return db.insert(row)


def delete(db: Database, submission_id: int) -> None:
    """Forget a submission that could not be enqueued (it was never accepted)."""
    db.delete(SubmissionRow, submission_id)


def get(db: Database, submission_id: int) -> SubmissionRow | None:
    return db.get(SubmissionRow, submission_id)


def claim(db: Database, submission_id: int, lease_seconds: float) -> Claim | None:
    """Take a submission under a new attempt and a lease; None if done, unknown or leased."""
    with db.session() as session:
        attempt = lease.take(
            session, SubmissionRow, submission_id, lease_seconds, heartbeat_at=now(), tests=[]
        )
        if attempt is None:
            return None
        row = session.get_one(SubmissionRow, submission_id)
        return Claim(
            row.id, row.exercise, row.language, row.source, attempt, row.generation,
            row.reader_language, row.contest_id,
        )  # fmt: skip


def renew(db: Database, claim: Claim, lease_seconds: float) -> bool:
    """Extend the claim's lease while judging goes on; False when it was lost."""
    with db.session() as session:
        return lease.renew(
            session, SubmissionRow, claim.id, claim.attempt, lease_seconds,
            SubmissionRow.generation == claim.generation, heartbeat_at=now(),
        )  # fmt: skip


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
                SubmissionRow.generation == claim.generation,
                SubmissionRow.status == JUDGING,
            )
            .values(tests=tests, heartbeat_at=now())
        )


def finish(db: Database, claim: Claim, result: SubmissionResult, error: str | None = None) -> bool:
    """Write the final result unless one was written already in this generation.

    True if this call wrote it. The latency is the first judging's: a
    rejudge keeps it, so the metrics measure how long submitters waited.
    """
    moment = now()
    with db.session() as session:
        created = session.scalar(
            select(SubmissionRow.created_at).where(SubmissionRow.id == claim.id)
        )
        if created is None:
            return False
        latency = (moment - aware(created)).total_seconds() if claim.generation == 0 else None
        written = session.scalar(
            update(SubmissionRow)
            .where(
                SubmissionRow.id == claim.id,
                SubmissionRow.status != DONE,
                SubmissionRow.generation == claim.generation,
            )
            .values(
                status=DONE,
                verdict=result.verdict.value,
                score=result.score,
                max_score=result.max_score,
                compile_output=result.compile_output,
                tests=result.tests,
                error=error,
                judged_at=moment,
                latency=SubmissionRow.latency if latency is None else latency,
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
            .where(SubmissionRow.status == JUDGING, SubmissionRow.generation == claim.generation)
            .values(
                status=QUEUED,
                failures=SubmissionRow.failures + 1,
                error=reason,
                enqueued_at=now(),
                lease_until=None,
            )
        )


def count_failure(db: Database, claim: Claim, reason: str) -> None:
    """Count an infrastructure failure that ends the submission (it is finished as IE)."""
    with db.session() as session:
        session.execute(
            update(SubmissionRow)
            .where(SubmissionRow.id == claim.id, SubmissionRow.generation == claim.generation)
            .values(failures=SubmissionRow.failures + 1, error=reason)
        )


@dataclass(frozen=True, order=True)
class Rejudged:
    """A submission put back in the queue: it needs a message."""

    id: int
    contest_id: int | None


def _rejudge(db: Database, selection: ColumnElement[bool]) -> list[Rejudged]:
    with db.session() as session:
        rows = session.execute(
            update(SubmissionRow)
            .where(selection, SubmissionRow.status != QUEUED)
            .values(
                status=QUEUED, generation=SubmissionRow.generation + 1, attempt=0,
                verdict=None, score=None, max_score=None, compile_output=None, tests=[],
                error=None, judged_at=None, heartbeat_at=None, lease_until=None,
                enqueued_at=now(),
            )
            .returning(SubmissionRow.id, SubmissionRow.contest_id)
        )  # fmt: skip
        return sorted(Rejudged(row.id, row.contest_id) for row in rows)


def rejudge_submission(db: Database, submission_id: int) -> list[Rejudged]:
    """Judge one submission again (a new generation); [] if it is still queued."""
    return _rejudge(db, SubmissionRow.id == submission_id)


def rejudge_exercise(db: Database, exercise: str) -> list[Rejudged]:
    """Judge every judging or done submission to `exercise` again."""
    return _rejudge(db, SubmissionRow.exercise == exercise)


def waiting(db: Database, owner_id: int | None, in_contest: bool) -> int:
    """How many of the owner's new submissions (in a contest, or not) are queued or judging.

    Rejudged ones wait in a lane of their own: they are not counted.
    """
    column = SubmissionRow.contest_id
    contest = column.is_not(None) if in_contest else column.is_(None)
    with db.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(SubmissionRow)
            .where(SubmissionRow.owner_id == owner_id, SubmissionRow.status != DONE, contest)
            .where(SubmissionRow.generation == 0)
        )
        return count or 0
