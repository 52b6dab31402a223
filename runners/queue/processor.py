"""Judging one queued submission: claim it, judge it, record the result.

Each finished test is announced at once, with its result, to whoever
follows the submission; the database gets the tests finished so far at most
every FLUSH_EVERY seconds (a batch, which also shows the sweeper that the
judging is alive) and the whole result once.

Verdicts are final. When the judge failed (`SubmissionResult.failure`: a
sandbox, a toolchain, a checker) or raised (database, files), the submission
goes back to the queue, up to `max_attempts` claims in all, then ends as IE
with the reason logged and kept in the row's `error`. A broken exercise
folder or a language the exercise no longer takes ends as IE at once: they
do not mend by retrying.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from languages import CompileCache, UnknownLanguage
from runners.judging.exercise import ExerciseError
from runners.judging.exercise.cache import ExerciseCache
from runners.judging.pipeline import LanguageNotAllowed, judge
from runners.judging.results import SubmissionResult, TestResult
from runners.queue.client import QueueUnavailable
from runners.queue.heartbeat import Heartbeat
from runners.queue.lanes import Lane, lane_again
from runners.queue.notify import Notice, Notifier
from runners.settings import Settings
from runners.store import submissions
from runners.store.database import Database
from sandbox import SandboxPool

log = logging.getLogger(__name__)
RETRY_DELAY = 1.0  # seconds before judging again after an infrastructure failure
FLUSH_EVERY = 1.0  # seconds between two writes of the tests finished so far, at most


class Processor:
    """Claims, judges and records submissions; `process` is the queue's actor."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        pool: SandboxPool,
        notifier: Notifier,
        enqueue: Callable[[int, Lane], None],
        heartbeat: Heartbeat,
    ) -> None:
        self.db = db
        self.settings = settings
        self.pool = pool
        self.notifier = notifier
        self.enqueue = enqueue
        self.heartbeat = heartbeat
        self.cache: CompileCache = settings.compile_cache()
        self.exercises = ExerciseCache()
        # Often enough for the sweeper never to take a judging submission for stuck.
        self.flush_every = min(FLUSH_EVERY, settings.requeue_after / 4)

    def process(self, submission_id: int) -> None:
        lease = self.settings.requeue_after
        claim = submissions.claim(self.db, submission_id, lease)
        if claim is None:
            return  # judged, or being judged: a redelivered or re-enqueued duplicate
        if claim.attempt > self.settings.max_attempts:
            self._give_up(claim, f"not judged after {self.settings.max_attempts} attempts")
            return
        try:
            with self.heartbeat.hold(
                f"submission {claim.id}", lambda: submissions.renew(self.db, claim, lease)
            ):
                result = self._judge(claim)
        except (ExerciseError, UnknownLanguage, LanguageNotAllowed) as error:
            # The exercise changed since the API accepted the submission.
            self._give_up(claim, f"exercise {claim.exercise}: {error}")
            return
        except Exception as error:
            log.exception("infrastructure failure judging submission %s", claim.id)
            self._retry(claim, f"attempt {claim.attempt}: {type(error).__name__}: {error}")
            return
        if result.failure is not None:
            reason = f"attempt {claim.attempt}: judged IE ({result.failure})"
            log.error("submission %s: %s", claim.id, reason)
            self._retry(claim, reason, result)
        elif submissions.finish(self.db, claim, result):
            self.notifier.publish(Notice(claim.id, done=True))

    def _judge(self, claim: submissions.Claim) -> SubmissionResult:
        exercise = self.exercises.load(self.settings.exercises_dir / claim.exercise)
        finished: list[TestResult] = []
        flushed = time.monotonic()

        def on_test(test: TestResult) -> None:
            nonlocal flushed
            finished.append(test)
            self.notifier.publish(Notice(claim.id, index=len(finished) - 1, test=test))
            if time.monotonic() - flushed >= self.flush_every:
                submissions.add_test(self.db, claim, finished)
                flushed = time.monotonic()

        with self.pool.borrow() as box:
            result = judge(
                exercise, claim.language, claim.source, box, on_test=on_test, cache=self.cache,
                reader_language=claim.reader_language,
            )  # fmt: skip
            if result.failure is not None:
                box.close()  # its supervisor may be broken: the next borrower starts a new one
        return result

    def _retry(
        self, claim: submissions.Claim, reason: str, result: SubmissionResult | None = None
    ) -> None:
        if claim.attempt >= self.settings.max_attempts:
            submissions.count_failure(self.db, claim, reason)
            self._give_up(claim, reason, result)
            return
        submissions.release(self.db, claim, reason)
        # The wait is a timer here, not a delayed message (runners/queue/broker.py): if
        # this process ends first, the sweeper enqueues the released submission again.
        lane = lane_again(claim.contest_id, claim.generation)
        later = threading.Timer(RETRY_DELAY * claim.attempt, self._enqueue, (claim.id, lane))
        later.daemon = True
        later.start()

    def _enqueue(self, submission_id: int, lane: Lane) -> None:
        try:
            self.enqueue(submission_id, lane)
        except QueueUnavailable as error:
            log.warning("submission %s left to the sweeper: %s", submission_id, error)

    def _give_up(
        self, claim: submissions.Claim, reason: str, result: SubmissionResult | None = None
    ) -> None:
        log.error("submission %s ends as IE: %s", claim.id, reason)
        final = result or SubmissionResult.internal_error(reason)
        if submissions.finish(self.db, claim, final, error=reason):
            self.notifier.publish(Notice(claim.id, done=True))
