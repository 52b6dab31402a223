"""The submission queue as the API sees it: enqueue an id, check the queue is there.

Messages carry only the id of a submission or a run; the database holds
everything else.
"""

from __future__ import annotations

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.errors import BrokerConnectionError

from runners.queue.broker import RUN_ACTOR, RUN_QUEUE
from runners.queue.lanes import Lane


class QueueUnavailable(Exception):
    """The broker cannot take messages right now (Redis is down)."""


class SubmissionQueue:
    def __init__(self, broker: dramatiq.Broker) -> None:
        self.broker = broker

    def enqueue(self, submission_id: int, lane: Lane = Lane.PRACTICE) -> None:
        self._send(lane.queue, lane.actor, submission_id)

    def enqueue_run(self, run_id: int) -> None:
        self._send(RUN_QUEUE, RUN_ACTOR, run_id)

    def _send(self, queue: str, actor: str, key: int) -> None:
        message: dramatiq.Message[None] = dramatiq.Message(
            queue_name=queue, actor_name=actor, args=(key,), kwargs={}, options={}
        )
        try:
            self.broker.enqueue(message)
        except (redis.RedisError, OSError, BrokerConnectionError) as error:
            raise QueueUnavailable(str(error)) from error

    def ping(self) -> None:
        """Raise QueueUnavailable unless the broker answers."""
        if isinstance(self.broker, RedisBroker):
            try:
                self.broker.client.ping()
            except (redis.RedisError, OSError) as error:
                raise QueueUnavailable(str(error)) from error
