"""The dramatiq broker: Redis when `JUDGE_REDIS_URL` is set, in-process otherwise.

Dramatiq's own retries and time limits are left out: `runners.queue.worker`
counts attempts in the database, which survives redeliveries. So are its
delayed messages (a retry waits in its worker: runners/queue/processor.py):
each delay queue would be one more consumer polling Redis while idle.
"""

from __future__ import annotations

from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from runners.queue.lanes import Lane
from runners.settings import Settings

# Runs (`POST /runs`) have a queue of their own, taken by the same workers after
# the new submissions they hold: forty long runs delay a submission by the runs
# under way, not by all forty. A run has someone waiting for it: it goes before
# rejudges.
RUN_QUEUE = "judge-runs"
RUN_ACTOR = "judge_run"
RUN_PRIORITY = Lane.REJUDGE - 1  # dramatiq runs lower numbers first
# Out of a million broker calls, how many also requeue the messages of dead workers.
MAINTENANCE_CHANCE = 20_000


def redis_client(url: str) -> redis.Redis:
    """A client that fails fast while Redis is down and reconnects by itself after."""
    return redis.Redis.from_url(
        url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=15
    )


class UndelayedRedisBroker(RedisBroker):
    """Dramatiq's Redis broker without delay queues: a worker polls only the queues."""

    def get_declared_delay_queues(self) -> set[str]:
        return set()

    def enqueue(
        self, message: dramatiq.Message[Any], *, delay: int | None = None
    ) -> dramatiq.Message[Any]:
        if delay:
            raise ValueError("no delay queue is consumed: a delayed message would wait forever")
        return super().enqueue(message)


def make_broker(settings: Settings) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if settings.redis_url:
        broker = UndelayedRedisBroker(  # type: ignore[no-untyped-call]
            client=redis_client(settings.redis_url),
            middleware=[],
            namespace="judge",
            heartbeat_timeout=int(settings.redelivery_after * 1000),
            maintenance_chance=MAINTENANCE_CHANCE,
        )
    else:
        broker = StubBroker(middleware=[])
    for lane in Lane:
        broker.declare_queue(lane.queue)
    broker.declare_queue(RUN_QUEUE)
    return broker
