"""Following a submission without polling the database: notices carry each test's result,
the database gets tests in batches, and the Hub hands them to waiters in order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from service_support import SLOW_SOURCE, SOURCES, Api, RedisServer, service_settings

from judge_api.watch import Hub
from runners.judging.results import TestResult
from runners.judging.verdict import Verdict
from runners.queue.broker import redis_client
from runners.queue.heartbeat import Heartbeat
from runners.queue.notify import LocalNotifier, Notice, RedisListener, RedisNotifier
from runners.queue.processor import Processor
from runners.store import submissions
from runners.store.database import Database
from sandbox import SandboxPool

TEST = TestResult("01", Verdict.AC, 0.01, 1024, 50.0, "")


def judged(tmp_path: Path, exercises: Path, flush_every: float) -> tuple[list[Notice], list[int]]:
    """Judge a two-test submission; the notices, and the tests in the row at each test notice."""
    db = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    db.migrate()
    notices: list[Notice] = []
    in_database: list[int] = []

    def listen(notice: Notice) -> None:
        notices.append(notice)
        row = submissions.get(db, notice.id)
        assert row is not None
        if notice.done:
            assert (row.status, len(row.tests)) == ("done", 2)  # written before the notice
        else:
            in_database.append(len(row.tests))

    notifier = LocalNotifier()
    notifier.listen(listen)
    config = service_settings(tmp_path, exercises)
    heartbeat = Heartbeat(config.requeue_after)  # not started: these judgings are short
    with SandboxPool(1) as pool:
        processor = Processor(db, config, pool, notifier, lambda *_: None, heartbeat)
        processor.flush_every = flush_every
        source = SOURCES["python", "AC"].encode()
        processor.process(submissions.create(db, "sum", "python", source, None))
    return notices, in_database


def test_each_test_is_announced_with_its_result(tmp_path: Path, exercises: Path) -> None:
    notices, in_database = judged(tmp_path, exercises, flush_every=float("inf"))
    assert [(n.index, n.done) for n in notices] == [(0, False), (1, False), (-1, True)]
    assert [n.test.name for n in notices if n.test] == ["01", "02"]
    assert in_database == [0, 0]  # not one write of the tests before the result


def test_tests_reach_the_database_in_batches(tmp_path: Path, exercises: Path) -> None:
    _, in_database = judged(tmp_path, exercises, flush_every=0.0)
    assert in_database == [0, 1]  # each flush after its notice: a batch of what finished


def test_notices_travel_over_redis(redis_server: RedisServer) -> None:
    received: list[Notice] = []
    listener = RedisListener(redis_client(redis_server.url), received.append)
    listener.start()
    try:
        client = redis_client(redis_server.url)
        notice = Notice(7, index=3, test=TEST)
        deadline = time.monotonic() + 30  # a liveness wait: the subscription takes a moment
        while not received:
            assert time.monotonic() < deadline, "no notice came through"
            client.publish("judge:submissions", b"not a notice")  # ignored
            RedisNotifier(client).publish(notice)
            time.sleep(0.05)
    finally:
        listener.stop()
        listener.join()
    assert received[0] == notice


def test_the_hub_hands_tests_in_order_and_remembers_what_is_done() -> None:
    async def follow() -> None:
        hub = Hub()
        hub.bind(asyncio.get_running_loop())
        with hub.watch(1, tests=True) as watcher, hub.watch(1, tests=False) as waiter:
            hub.notify(Notice(1, index=1, test=TEST))
            assert await watcher.news(5) and watcher.take(0) == [] and watcher.gap
            hub.notify(Notice(1, index=0, test=TEST))
            assert await watcher.news(5) and watcher.take(0) == [TEST, TEST]
            assert not watcher.gap and not waiter.event.is_set()  # tests do not wake waiters
            hub.notify(Notice(1, done=True))
            assert await waiter.news(5) and waiter.done
        with hub.watch(1, tests=False) as late:
            assert late.done and late.remembered  # it registered after the notice
        hub.notify(Notice(1, index=0, test=TEST))  # judged again
        with hub.watch(1, tests=False) as again:
            assert not again.done

    asyncio.run(follow())


def test_events_follow_tests_the_database_does_not_have_yet(
    make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("runners.queue.processor.FLUSH_EVERY", float("inf"))
    api = make_api(requeue_after=1e6)  # no batch written before the result
    body = {"exercise": "slow", "language": "python", "source": SLOW_SOURCE}
    created = api.client.post("/api/v1/submissions", json=body, headers=api.auth())
    assert created.status_code == 202, created.text
    url = f"/api/v1/submissions/{created.json()['id']}/events"
    kinds = []
    with api.client.stream("GET", url, headers=api.auth()) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kinds.append(line.split(":", 1)[1].strip())
    assert kinds == ["test", "test", "result"]
