"""Judging one queued submission, and the worker threads that do it.

Verdicts (whatever the pipeline returns, IE included) are final. An
exception is an infrastructure failure (sandbox, database, filesystem): the
submission goes back to the queue, up to `max_attempts` claims in all, then
ends as IE with the reason logged and kept in the row's `error`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import dramatiq

from judge_api import store
from judge_api.db import Database
from judge_api.settings import Settings
from languages import UnknownLanguage
from runners.actors import declare_judge_actor
from runners.boxes import Boxes
from runners.exercise import ExerciseError, load_exercise
from runners.notify import Notifier
from runners.pipeline import LanguageNotAllowed, judge
from runners.results import TestResult
from runners.verdict import Verdict

log = logging.getLogger(__name__)
RETRY_DELAY = 1.0  # seconds before judging again after an infrastructure failure


def internal_error(max_score: float = 0.0) -> dict[str, Any]:
    """The result of a submission the judge could not judge."""
    return {
        "verdict": Verdict.IE.value, "score": 0.0, "max_score": max_score,
        "compile_output": None, "tests": [],
    }  # fmt: skip


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
        except Exception as error:
            reason = f"attempt {claim.attempt}: {type(error).__name__}: {error}"
            log.exception("infrastructure failure judging submission %s", claim.id)
            self._retry(claim, reason)
            return
        if store.finish(self.db, claim.id, result):
            self.notifier.publish(claim.id)

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
            self.notifier.publish(claim.id)

        with self.boxes.borrow() as box:
            try:
                result = judge(exercise, claim.language, claim.source, box, on_test=on_test)
            except (UnknownLanguage, LanguageNotAllowed) as error:
                # The exercise changed since the API accepted the submission.
                log.error("submission %s: %s", claim.id, error)
                return internal_error(exercise.max_score)
        return result.to_dict()

    def _retry(self, claim: store.Claim, reason: str) -> None:
        if claim.attempt >= self.settings.max_attempts:
            store.count_failure(self.db, claim.id, reason)
            self._give_up(claim.id, reason)
            return
        store.release(self.db, claim, reason)
        self.enqueue(claim.id, RETRY_DELAY * claim.attempt)

    def _give_up(self, submission_id: int, reason: str) -> None:
        log.error("submission %s ends as IE: %s", submission_id, reason)
        if store.finish(self.db, submission_id, internal_error(), error=reason):
            self.notifier.publish(submission_id)


def start_worker(broker: dramatiq.Broker, judge_: Judge, threads: int) -> dramatiq.Worker:
    """Start `threads` judging threads consuming the queue in this process."""
    declare_judge_actor(broker, judge_.process)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=50)
    worker.queue_prefetch = threads  # hoard no more than it can judge: others take the rest
    worker.start()
    return worker
