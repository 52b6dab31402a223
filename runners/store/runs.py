"""Runs in the database (`POST /runs`): queued -> judging -> done, as submissions are.

A run is stored, then its id queued; a worker claims it under a lease
(lease.py), builds and runs it in a sandbox, and writes its report unless one
was written already: the first report wins, so a run redelivered or
re-enqueued is reported once. Whoever waits for it (the API, on a
notification) and gives up `abandon`s it, so that no worker spends a sandbox
on a reply nobody will read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update

from runners.judging.results import RunOutput, RunReport
from runners.store import lease
from runners.store.database import Database, now
from runners.store.models import RunRow


@dataclass(frozen=True)
class RunClaim:
    """What a worker needs to do one run: limits in CPU seconds and MiB.

    A run of the Judge0 API (`judge0`) keeps its output as bytes and compares
    it with `expected_output`, when given; its wall time limit may be set.
    """

    id: int
    language: str
    source: bytes
    stdin: bytes
    time_limit: float
    memory_limit: int
    attempt: int
    judge0: bool = False
    expected_output: bytes | None = None
    wall_time_limit: float | None = None


@dataclass(frozen=True)
class Judge0Run:
    """What the Judge0 API adds to a run: its token, expected output, wall time limit
    (None: derived from the CPU time) and the language id it was asked in."""

    token: str
    expected_output: bytes | None
    wall_time_limit: float | None
    language_id: int


def create(
    db: Database,
    owner_id: int | None,
    language: str,
    source: bytes,
    stdin: bytes,
    time_limit: float,
    memory_limit: int,
    judge0: Judge0Run | None = None,
) -> int:
    """Store a new queued run and return its id."""
    moment = now()
    row = RunRow(
        owner_id=owner_id, language=language, source=source, stdin=stdin,
        time_limit=time_limit, memory_limit=memory_limit, status=lease.QUEUED, report=None,
        attempt=0, created_at=moment, enqueued_at=moment,
    )  # fmt: skip
    if judge0 is not None:
        row.token = judge0.token
        row.expected_output = judge0.expected_output
        row.wall_time_limit = judge0.wall_time_limit
        row.judge0_language = judge0.language_id
    return db.insert(row)


def delete(db: Database, run_id: int) -> None:
    """Forget a run that could not be enqueued (it was never accepted)."""
    db.delete(RunRow, run_id)


def get(db: Database, run_id: int) -> RunRow | None:
    return db.get(RunRow, run_id)


def by_tokens(db: Database, tokens: Sequence[str]) -> dict[str, RunRow]:
    """The runs of the Judge0 API with these tokens, by token (unknown ones left out)."""
    with db.session() as session:
        rows = session.scalars(select(RunRow).where(RunRow.token.in_(set(tokens))))
        return {row.token: row for row in rows if row.token is not None}


def claim(db: Database, run_id: int, lease_seconds: float) -> RunClaim | None:
    """Take a run under a new attempt and a lease; None if done, unknown or leased."""
    with db.session() as session:
        attempt = lease.take(session, RunRow, run_id, lease_seconds)
        if attempt is None:
            return None
        row = session.get_one(RunRow, run_id)
        return RunClaim(
            row.id, row.language, row.source, row.stdin, row.time_limit, row.memory_limit,
            attempt, row.token is not None, row.expected_output, row.wall_time_limit,
        )  # fmt: skip


def renew(db: Database, claim: RunClaim, lease_seconds: float) -> bool:
    """Extend the claim's lease while the run goes on; False when it was lost."""
    with db.session() as session:
        return lease.renew(session, RunRow, claim.id, claim.attempt, lease_seconds)


def finish(
    db: Database,
    run_id: int,
    report: RunReport | None,
    error: str | None = None,
    output: RunOutput | None = None,
) -> bool:
    """Write the report (and the output kept as bytes) unless the run is done already;
    True if this call did.

    No report (`abandon`) ends a run nobody waits for any more.
    """
    with db.session() as session:
        written = session.scalar(
            update(RunRow)
            .where(RunRow.id == run_id, RunRow.status != lease.DONE)
            .values(status=lease.DONE, report=report, error=error, output=output, finished_at=now())
            .returning(RunRow.id)
        )
        return written is not None


def abandon(db: Database, run_id: int, reason: str) -> bool:
    """End a run whose requester stopped waiting; False when it was done meanwhile."""
    return finish(db, run_id, None, reason)
