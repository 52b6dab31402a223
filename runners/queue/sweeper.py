"""Re-enqueue what the queue lost and nobody judges: submissions and runs stuck
`queued` (Redis restarted empty), or `judging` under a lapsed lease (their worker
died; see runners/store/lease.py).

Several sweepers may run (one per worker process): `lease.reenqueue` is a
compare-and-set, so each stale row is re-enqueued once per period. A
submission goes back to the lane its row calls for (runners/queue/lanes.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from functools import partial

from runners.queue.client import QueueUnavailable, SubmissionQueue
from runners.queue.lanes import lane_again
from runners.store import lease, submissions
from runners.store.database import Database
from runners.store.models import RunRow, SubmissionRow

log = logging.getLogger(__name__)


def _tables(
    db: Database, queue: SubmissionQueue
) -> Iterator[tuple[lease.Table, Callable[[int], None]]]:
    yield SubmissionRow, partial(_enqueue_submission, db, queue)
    yield RunRow, queue.enqueue_run


def _enqueue_submission(db: Database, queue: SubmissionQueue, submission_id: int) -> None:
    row = submissions.get(db, submission_id)
    if row is not None:
        queue.enqueue(submission_id, lane=lane_again(row.contest_id, row.generation))


def requeue_pending(db: Database, queue: SubmissionQueue) -> int:
    """Enqueue everything accepted and not done, ending every lease (embedded mode, on start)."""
    count = 0
    for table, enqueue in _tables(db, queue):
        with db.session() as session:
            lease.release_all(session, table)
            keys = lease.pending(session, table)
        for key in keys:
            enqueue(key)
        count += len(keys)
    return count


def sweep(db: Database, queue: SubmissionQueue, older_than: float) -> int:
    """Re-enqueue what nobody judged for `older_than` seconds; returns how many."""
    count = 0
    for table, enqueue in _tables(db, queue):
        with db.session() as session:
            stale = lease.stale(session, table, older_than)
        for key, seen in stale:
            with db.session() as session:
                bumped = lease.reenqueue(session, table, key, seen)
            if bumped:
                log.warning("re-enqueueing stale %s %s", table.__tablename__, key)
                enqueue(key)
                count += 1
    return count


class Sweeper(threading.Thread):
    """Calls `sweep` every quarter of the deadline until stopped."""

    def __init__(self, db: Database, queue: SubmissionQueue, older_than: float) -> None:
        super().__init__(name="judge-sweeper", daemon=True)
        self.db = db
        self.queue = queue
        self.older_than = older_than
        self._stopped = threading.Event()

    def run(self) -> None:
        period = min(max(self.older_than / 4, 0.5), 30.0)
        while not self._stopped.wait(period):
            try:
                sweep(self.db, self.queue, self.older_than)
            except QueueUnavailable as error:
                log.warning("sweeper: queue unavailable: %s", error)
            except Exception:
                log.exception("sweeper failed; trying again next period")

    def stop(self) -> None:
        self._stopped.set()
