"""Claims with a lease: the life of a queued job (a submission or a run), queued -> judging -> done.

A worker claims a row that is `queued`, or `judging` under a lease that ran
out: the row becomes `judging` under a new attempt, and the worker's until
`lease_until`. While it judges, the worker renews the lease (its heartbeat,
runners/queue/heartbeat.py). A message delivered while the lease holds (a
sweeper's re-enqueue, a redelivery) claims nothing and counts no attempt: a
slow judging is never judged twice, nor ended by running out of attempts.

The sweeper re-enqueues what nobody judges: rows `queued` for too long (the
message was lost) and rows whose lease ran out (the worker died). Both are a
compare-and-set on `enqueued_at`, so several sweepers re-enqueue a row once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from runners.store.database import now
from runners.store.models import RunRow, SubmissionRow

QUEUED, JUDGING, DONE = "queued", "judging", "done"
Table = type[SubmissionRow] | type[RunRow]


def _lapsed(table: Table, moment: datetime) -> ColumnElement[bool]:
    """Judging under a lease that ran out (or none: rows claimed before leases existed)."""
    return (table.status == JUDGING) & (table.lease_until.is_(None) | (table.lease_until < moment))


def take(session: Session, table: Table, key: int, lease: float, **values: Any) -> int | None:
    """Claim row `key` for `lease` seconds, also setting `values`; the new attempt number.

    None when the row is done, unknown, or judged under a lease that holds.
    """
    moment = now()
    attempt: int | None = session.scalar(
        update(table)
        .where(table.id == key, (table.status == QUEUED) | _lapsed(table, moment))
        .values(
            status=JUDGING,
            attempt=table.attempt + 1,
            lease_until=moment + timedelta(seconds=lease),
            **values,
        )
        .returning(table.attempt)
    )
    return attempt


def renew(
    session: Session,
    table: Table,
    key: int,
    attempt: int,
    lease: float,
    *conditions: ColumnElement[bool],
    **values: Any,
) -> bool:
    """Extend the lease of this attempt by `lease` seconds from now; False if it was lost.

    `conditions` narrow the row further (a submission's generation).
    """
    renewed = session.scalar(
        update(table)
        .where(table.id == key, table.attempt == attempt, table.status == JUDGING, *conditions)
        .values(lease_until=now() + timedelta(seconds=lease), **values)
        .returning(table.id)
    )
    return renewed is not None


def stale(session: Session, table: Table, older_than: float) -> list[tuple[int, datetime]]:
    """Rows nobody judges: queued, or under a lapsed lease, and enqueued `older_than` ago.

    Returns (id, enqueued_at) pairs for `reenqueue`'s compare-and-set.
    """
    moment = now()
    cutoff = moment - timedelta(seconds=older_than)
    waiting = (table.status == QUEUED) | _lapsed(table, moment)
    rows = session.execute(
        select(table.id, table.enqueued_at).where(waiting, table.enqueued_at < cutoff)
    )
    return [(row.id, row.enqueued_at) for row in rows]


def reenqueue(session: Session, table: Table, key: int, seen: datetime) -> bool:
    """Bump `enqueued_at` if nobody else did since `seen`; True if the caller should enqueue."""
    bumped = session.scalar(
        update(table)
        .where(table.id == key, table.enqueued_at == seen, table.status != DONE)
        .values(enqueued_at=now())
        .returning(table.id)
    )
    return bumped is not None


def release_all(session: Session, table: Table) -> None:
    """End every lease: for a process that starts as the only judge (embedded mode)."""
    session.execute(
        update(table).where(table.status == JUDGING).values(status=QUEUED, lease_until=None)
    )


def pending(session: Session, table: Table) -> list[int]:
    """Every row accepted and not done yet."""
    return list(session.scalars(select(table.id).where(table.status != DONE)))
