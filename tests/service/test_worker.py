"""Judging in a worker: verdicts are final, infrastructure failures are retried then IE.

The broken sandbox is fault injection: the pipeline, exercises and database are real.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import dramatiq
import pytest
from service_support import SOURCES, RedisServer, service_settings

from runners.queue.broker import RUN_QUEUE, make_broker
from runners.queue.heartbeat import Heartbeat
from runners.queue.lanes import Lane
from runners.queue.notify import LocalNotifier
from runners.queue.processor import Processor
from runners.queue.runs import RunProcessor
from runners.queue.worker import start_worker
from runners.settings import Settings
from runners.store import submissions
from runners.store.database import Database
from sandbox import RunRequest, RunResult, Sandbox, SandboxConfig, SandboxError, SandboxPool


class BrokenSandbox(Sandbox):
    """Fault injection: a sandbox whose supervisor is gone."""

    def run(self, request: RunRequest) -> RunResult:
        raise SandboxError("supervisor died")


def make_processor(
    db: Database, config: Settings, pool: SandboxPool
) -> tuple[Processor, list[tuple[int, Lane]]]:
    enqueued: list[tuple[int, Lane]] = []
    notifier = LocalNotifier()
    heartbeat = Heartbeat(config.requeue_after)  # not started: these judgings are short

    def enqueue(submission_id: int, lane: Lane) -> None:
        enqueued.append((submission_id, lane))

    processor = Processor(db, config, pool, notifier, enqueue, heartbeat)
    return processor, enqueued


def broken(config: SandboxConfig | None) -> Sandbox:
    return BrokenSandbox(config)


def test_a_verdict_is_final_after_one_attempt(tmp_path: Path, exercises: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    db.migrate()
    pool = SandboxPool(1)
    judge, enqueued = make_processor(db, service_settings(tmp_path, exercises), pool)
    submission_id = submissions.create(db, "sum", "python", SOURCES["python", "WA"].encode(), None)
    judge.process(submission_id)
    judge.process(submission_id)  # a duplicate message changes nothing
    pool.close()
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.verdict, row.attempt) == ("done", "WA", 1)
    assert [test.verdict for test in row.tests] == ["WA", "WA"]
    assert enqueued == []


def test_infrastructure_failures_are_retried_then_ie(
    tmp_path: Path, exercises: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    db.migrate()
    config = service_settings(tmp_path, exercises, max_attempts=2)
    judge, enqueued = make_processor(db, config, SandboxPool(1, factory=broken))
    # C needs a compile: the broken sandbox fails whatever the compile cache holds.
    source = SOURCES["c", "AC"].encode() + b"/* retried */\n"
    submission_id = submissions.create(db, "sum", "c", source, None)
    judge.process(submission_id)
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.failures) == ("queued", 1)
    assert enqueued == []  # not at once: after RETRY_DELAY
    for _ in range(100):
        if enqueued:
            break
        time.sleep(0.1)
    assert enqueued == [(submission_id, Lane.PRACTICE)]  # a retry has waited: a first's lane
    judge.process(submission_id)
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.verdict, row.failures) == ("done", "IE", 2)
    assert row.error is not None and row.error.startswith("attempt 2: judged IE")
    assert "supervisor died" in caplog.text  # the reason is logged
    assert enqueued == [(submission_id, Lane.PRACTICE)]


def test_a_broken_exercise_is_ie_without_retry(tmp_path: Path, exercises: Path) -> None:
    root = tmp_path / "exercises"
    shutil.copytree(exercises, root)
    db = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    db.migrate()
    judge, enqueued = make_processor(db, service_settings(tmp_path, root), SandboxPool(1))
    submission_id = submissions.create(db, "sum", "python", SOURCES["python", "AC"].encode(), None)
    (root / "sum" / "exercise.toml").write_text("title = [\n")
    judge.process(submission_id)
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.verdict, row.attempt) == ("done", "IE", 1)
    assert enqueued == []


def test_a_worker_on_redis_polls_the_lanes_and_the_runs_and_no_delay_queue(
    tmp_path: Path, exercises: Path, redis_server: RedisServer
) -> None:
    """Each delay queue would be one more consumer polling Redis while the worker is idle."""
    db = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    db.migrate()
    config = service_settings(tmp_path, exercises, redis_url=redis_server.url)
    broker = make_broker(config)
    with SandboxPool(1) as pool:
        judge, _ = make_processor(db, config, pool)
        runs = RunProcessor(db, config, pool, LocalNotifier(), judge.heartbeat)
        worker = start_worker(broker, judge, 1, runs)
        consumed = set(worker.consumers)
        worker.stop()
    assert consumed == {lane.queue for lane in Lane} | {RUN_QUEUE}
    message: dramatiq.Message[None] = dramatiq.Message(
        queue_name=RUN_QUEUE, actor_name="judge_run", args=(1,), kwargs={}, options={}
    )
    with pytest.raises(ValueError, match="delay"):
        broker.enqueue(message, delay=1000)  # it would never be consumed
    broker.close()
