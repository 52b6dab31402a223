"""Re-enqueue submissions the queue lost: stuck `queued` (Redis restarted empty) or
`judging` with no progress (a worker died and its message is not back yet).

Several sweepers may run (one per worker process): `submissions.reenqueue` is a
compare-and-set, so each stale submission is re-enqueued once per period.
"""

from __future__ import annotations

import logging
import threading

from runners.queue.client import QueueUnavailable, SubmissionQueue
from runners.store import submissions
from runners.store.database import Database

log = logging.getLogger(__name__)


def requeue_pending(db: Database, queue: SubmissionQueue) -> int:
    """Enqueue everything accepted and not judged (embedded mode, on start)."""
    ids = submissions.pending(db)
    for submission_id in ids:
        queue.enqueue(submission_id)
    return len(ids)


def sweep(db: Database, queue: SubmissionQueue, older_than: float) -> int:
    """Re-enqueue what made no progress for `older_than` seconds; returns how many."""
    count = 0
    for submission_id, seen in submissions.stale(db, older_than):
        if submissions.reenqueue(db, submission_id, seen):
            log.warning("re-enqueueing stale submission %s", submission_id)
            queue.enqueue(submission_id)
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
