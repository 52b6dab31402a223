"""Change notifications for submissions: "submission N has a new test result", or "is done".

The database holds the news; a notification only wakes whoever waits on it
(`?wait=true`, server-sent events), so losing one costs latency, never data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

import redis

log = logging.getLogger(__name__)
CHANNEL = "judge:submissions"
# "contest N changed" (the flag is unused): see judge_api/scoreboards.py
CONTEST_CHANNEL = "judge:contests"


class Notifier(Protocol):
    def publish(self, submission_id: int, done: bool) -> None: ...


Listener = Callable[[int, bool], None]  # (submission id, done)


class LocalNotifier:
    """Calls listeners in the same process (embedded mode)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def publish(self, submission_id: int, done: bool) -> None:
        for listener in self._listeners:
            listener(submission_id, done)


class RedisNotifier:
    """Publishes on a Redis channel that every API process subscribes to."""

    def __init__(self, client: redis.Redis, channel: str = CHANNEL) -> None:
        self._client = client
        self._channel = channel

    def publish(self, submission_id: int, done: bool) -> None:
        try:
            self._client.publish(self._channel, f"{submission_id} {'done' if done else 'test'}")
        except redis.RedisError as error:
            log.warning("could not notify submission %s: %s", submission_id, error)


class RedisListener(threading.Thread):
    """Forwards the channel to a callback, reconnecting when Redis goes away."""

    def __init__(self, client: redis.Redis, callback: Listener, channel: str = CHANNEL) -> None:
        super().__init__(name=f"judge-notifications-{channel}", daemon=True)
        self._client = client
        self._callback = callback
        self._channel = channel
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                self._listen()
            except (redis.RedisError, OSError) as error:
                log.warning("notifications lost, reconnecting: %s", error)
                self._stopped.wait(0.5)

    def _listen(self) -> None:
        with self._client.pubsub(ignore_subscribe_messages=True) as pubsub:  # type: ignore[no-untyped-call]
            pubsub.subscribe(self._channel)
            while not self._stopped.is_set():
                message = pubsub.get_message(timeout=0.5)
                if message is not None:
                    submission_id, kind = message["data"].split()
                    self._callback(int(submission_id), kind == b"done")

    def stop(self) -> None:
        self._stopped.set()
