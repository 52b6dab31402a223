"""Judging one queued submission, and the worker threads that do it.

Verdicts are final. An IE from the pipeline (it turns sandbox failures into
IE) or an exception (database, filesystem) is an infrastructure failure: the
submission goes back to the queue, up to `max_attempts` claims in all, then
ends as IE with the reason logged and kept in the row's `error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import dramatiq

from languages import UnknownLanguage
from runners.boxes import Boxes
from runners.judging.exercise.loader import ExerciseError, load_exercise
from runners.judging.pipeline import LanguageNotAllowed, judge
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from runners.queue.actors import declare_judge_actor
from runners.queue.notify import Notifier
from runners.settings import Settings
from runners.store import submissions as store
from runners.store.database import Database

log = logging.getLogger(__name__)
RETRY_DELAY = 1.0  # seconds before judging again after an infrastructure failure


def internal_error(max_score: float = 0.0) -> dict[str, Any]:
    """The result of a submission the judge could not judge."""
    return {
        "verdict": Verdict.IE.value, "score": 0.0, "max_score": max_score,
        "compile_output": None, "tests": [],
    }  # fmt: skip


class Unjudged(Exception):
    """The pipeline answered IE: the judge failed (a sandbox, a checker), not the submitter."""

    def __init__(self, result: SubmissionResult) -> None:
        failed = [test for test in result.tests if test.verdict is Verdict.IE]
        why = f"test {failed[0].name}: {failed[0].message}" if failed else "the build failed"
        super().__init__(f"judged IE ({why}; details in the log above)")
        self.result = result.to_dict()


class Judge:
    """Claims, judges and records submissions; `process` is the queue's actor."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        boxes: Boxes,
        notifier: Notifier,
        enqueue: Callable[[int, float], None],
    ) -> None:
        self.db = db
        self.settings = settings
        self.boxes = boxes
        self.notifier = notifier
        self.enqueue = enqueue

    def process(self, submission_id: int) -> None:
        claim = store.claim(self.db, submission_id)
        if claim is None:
            return  # already judged: a redelivered or re-enqueued duplicate
        if claim.attempt > self.settings.max_attempts:
            self._give_up(claim.id, f"not judged after {self.settings.max_attempts} attempts")
            return
        try:
            result = self._judge(claim)
        except Unjudged as failure:
            log.error("submission %s, attempt %s: %s", claim.id, claim.attempt, failure)
            self._retry(claim, f"attempt {claim.attempt}: {failure}", failure.result)
            return
        except Exception as error:
            log.exception("infrastructure failure judging submission %s", claim.id)
            self._retry(claim, f"attempt {claim.attempt}: {type(error).__name__}: {error}")
            return
        if store.finish(self.db, claim.id, result):
            self.notifier.publish(claim.id, done=True)

    def _judge(self, claim: store.Claim) -> dict[str, Any]:
        try:
            exercise = load_exercise(self.settings.exercises_dir / claim.exercise)
        except ExerciseError as error:
            # A broken exercise folder will not mend by retrying.
            log.error("submission %s: exercise %s: %s", claim.id, claim.exercise, error)
            return internal_error()
        finished: list[dict[str, Any]] = []

        def on_test(test: TestResult) -> None:
            finished.append(test.to_dict())
            store.add_test(self.db, claim, list(finished))
            self.notifier.publish(claim.id, done=False)

        with self.boxes.borrow() as box:
            try:
                result = judge(exercise, claim.language, claim.source, box, on_test=on_test)
            except (UnknownLanguage, LanguageNotAllowed) as error:
                # The exercise changed since the API accepted the submission.
                log.error("submission %s: %s", claim.id, error)
                return internal_error(exercise.max_score)
            if result.verdict is Verdict.IE:
                raise Unjudged(result)  # raised inside: this sandbox is closed, not lent again
        return result.to_dict()

    def _retry(self, claim: store.Claim, reason: str, result: dict[str, Any] | None = None) -> None:
        if claim.attempt >= self.settings.max_attempts:
            store.count_failure(self.db, claim.id, reason)
            self._give_up(claim.id, reason, result)
            return
        store.release(self.db, claim, reason)
        self.enqueue(claim.id, RETRY_DELAY * claim.attempt)

    def _give_up(
        self, submission_id: int, reason: str, result: dict[str, Any] | None = None
    ) -> None:
        log.error("submission %s ends as IE: %s", submission_id, reason)
        if store.finish(self.db, submission_id, result or internal_error(), error=reason):
            self.notifier.publish(submission_id, done=True)


def start_worker(broker: dramatiq.Broker, judge_: Judge, threads: int) -> dramatiq.Worker:
    """Start `threads` judging threads consuming the queue in this process."""
    declare_judge_actor(broker, judge_.process)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=20)
    worker.queue_prefetch = threads  # hoard no more than it can judge: others take the rest
    worker.start()
    return worker
