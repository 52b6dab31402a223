"""The submission queue as the API sees it: enqueue an id, check the queue is there.

Messages carry only the submission id; the database holds everything else.
"""

from __future__ import annotations

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.errors import BrokerConnectionError

from runners.queue.lanes import Lane


class QueueUnavailable(Exception):
    """The broker cannot take messages right now (Redis is down)."""


class SubmissionQueue:
    def __init__(self, broker: dramatiq.Broker) -> None:
        self.broker = broker

    def enqueue(self, submission_id: int, delay: float = 0.0, lane: Lane = Lane.PRACTICE) -> None:
        message: dramatiq.Message[None] = dramatiq.Message(
            queue_name=lane.queue, actor_name=lane.actor, args=(submission_id,), kwargs={},
            options={},
        )  # fmt: skip
        try:
            self.broker.enqueue(message, delay=int(delay * 1000) or None)
        except (redis.RedisError, OSError, BrokerConnectionError) as error:
            raise QueueUnavailable(str(error)) from error

    def ping(self) -> None:
        """Raise QueueUnavailable unless the broker answers."""
        if isinstance(self.broker, RedisBroker):
            try:
                self.broker.client.ping()
            except (redis.RedisError, OSError) as error:
                raise QueueUnavailable(str(error)) from error
