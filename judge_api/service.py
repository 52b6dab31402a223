"""The parts of a running service, wired together by mode.

- embedded (`judge serve` without `JUDGE_REDIS_URL`): API, dramatiq's
  in-process StubBroker and the judging threads in one process;
- `judge api`: the API over Redis (it sends, the workers judge);
- `judge worker`: judging threads over Redis, plus the sweeper.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import dramatiq

from judge_api import catalog
from judge_api.ratelimit import RateLimiter
from judge_api.scoreboards import Scoreboards
from judge_api.streams import Streams
from judge_api.watch import Hub
from runners.queue.broker import make_broker, redis_client
from runners.queue.client import SubmissionQueue
from runners.queue.heartbeat import Heartbeat
from runners.queue.notify import (
    CHANNEL,
    CONTEST_CHANNEL,
    RUN_CHANNEL,
    LocalNotifier,
    Notice,
    Notifier,
    RedisListener,
    RedisNotifier,
)
from runners.queue.processor import Processor
from runners.queue.runs import RunProcessor
from runners.queue.sweeper import Sweeper, requeue_pending
from runners.queue.worker import start_worker
from runners.settings import Settings
from runners.store.database import Database
from sandbox import SandboxPool

log = logging.getLogger(__name__)


@dataclass
class Service:
    settings: Settings
    db: Database
    broker: dramatiq.Broker
    queue: SubmissionQueue
    hub: Hub = field(default_factory=Hub)  # submissions, by id
    run_hub: Hub = field(default_factory=Hub)  # runs, by id
    streams: Streams = field(default_factory=Streams)  # ended when the API stops
    limiter: RateLimiter = field(init=False)
    scoreboards: Scoreboards = field(init=False)
    news: Notifier = field(init=False)  # the API's own: rejudged submissions start over
    contest_news: Notifier = field(init=False)  # "contest N changed", to every API process
    embedded: bool = False  # judge in this process too
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.settings.rate_limit)
        self.scoreboards = Scoreboards(self.db)
        self.news = self.notifier()
        self.contest_news = self._contest_notifier()

    @classmethod
    def open(cls, settings: Settings, *, embedded: bool) -> Service:
        """Connect to the database (migrated) and the broker; nothing runs yet."""
        db = Database(settings.database_url)
        db.migrate()
        broker = make_broker(settings)
        return cls(settings, db, broker, SubmissionQueue(broker), embedded=embedded)

    def notifier(self, channel: str = CHANNEL) -> Notifier:
        """How workers announce news of submissions (or, on RUN_CHANNEL, of runs)."""
        if self.settings.redis_url:
            return RedisNotifier(redis_client(self.settings.redis_url), channel)
        local = LocalNotifier()
        local.listen(self.run_hub.notify if channel == RUN_CHANNEL else self._heard)
        return local

    def _heard(self, notice: Notice) -> None:
        self.hub.notify(notice)
        self.scoreboards.submission_changed(notice)

    def _contest_notifier(self) -> Notifier:
        if self.settings.redis_url:
            return RedisNotifier(redis_client(self.settings.redis_url), CONTEST_CHANNEL)
        local = LocalNotifier()
        local.listen(self.scoreboards.contest_changed)
        return local

    def contest_changed(self, contest_id: int) -> None:
        """Tell the scoreboards of every API process that a contest's board may have changed."""
        self.contest_news.publish(Notice(contest_id))

    def start_api(self) -> None:
        """Sync exercises, and listen to notifications from workers elsewhere."""
        report = catalog.sync(self.db, self.settings.exercises_dir)
        log.info("exercises: %d synced, %d removed", len(report.synced), len(report.removed))
        for error in report.errors:
            log.warning("exercise not synced: %s", error)
        if self.settings.redis_url:
            for channel, heard in (
                (CHANNEL, self._heard),
                (CONTEST_CHANNEL, self.scoreboards.contest_changed),
                (RUN_CHANNEL, self.run_hub.notify),
            ):
                client = redis_client(self.settings.redis_url)
                listener = RedisListener(client, heard, channel)
                listener.start()
                self._stoppers.append(listener.stop)
        if self.embedded:
            self.start_workers()
            if not self.settings.redis_url:
                count = requeue_pending(self.db, self.queue)
                log.info("re-enqueued %d submissions and runs accepted and not done", count)

    def start_workers(self) -> None:
        """Judging threads (submissions and runs), their heartbeat and the sweeper."""
        settings = self.settings
        threads = max(settings.workers, 1)
        pool = SandboxPool(threads)
        heartbeat = Heartbeat(settings.requeue_after)
        heartbeat.start()
        processor = Processor(
            self.db, settings, pool, self.notifier(), self.queue.enqueue, heartbeat
        )
        runs = RunProcessor(self.db, settings, pool, self.notifier(RUN_CHANNEL), heartbeat)
        worker = start_worker(self.broker, processor, threads, runs)
        sweeper = Sweeper(self.db, self.queue, settings.requeue_after)
        sweeper.start()
        self._stoppers += [sweeper.stop, worker.stop, heartbeat.stop, pool.close]

    def stop(self) -> None:
        """Stop what was started, in order; running judgings finish first."""
        for stop in self._stoppers:
            stop()
        self._stoppers.clear()
        self.broker.close()
        self.db.close()
