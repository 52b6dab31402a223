"""Change notifications for submissions: "submission N has a new test result", or "is done";
and, on a channel of their own, for runs: "run N is done".

The database holds the news; a notification only wakes whoever waits on it
(`?wait=true`, server-sent events, `POST /runs`), so losing one costs
latency, never data. While Redis is down the listener retries with an
exponential back-off and logs once per outage.
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
RUN_CHANNEL = "judge:runs"
RETRY_FIRST, RETRY_MAX = 0.5, 30.0  # seconds between reconnections: doubling, capped


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
        self.listening = threading.Event()  # subscribed since the last failure

    def run(self) -> None:
        delay = 0.0  # before the next try; 0 until an outage begins
        while not self._stopped.is_set():
            try:
                self._listen()
            except (redis.RedisError, OSError) as error:
                if self.listening.is_set():  # it worked since the last failure: a new outage
                    delay = 0.0
                if not delay:
                    log.warning("%s: notifications lost, reconnecting: %s", self._channel, error)
                delay = min(delay * 2, RETRY_MAX) if delay else RETRY_FIRST
                self.listening.clear()
                self._stopped.wait(delay)

    def _listen(self) -> None:
        with self._client.pubsub(ignore_subscribe_messages=True) as pubsub:  # type: ignore[no-untyped-call]
            pubsub.subscribe(self._channel)
            self.listening.set()
            log.info("%s: listening to notifications", self._channel)
            while not self._stopped.is_set():
                message = pubsub.get_message(timeout=0.5)
                if message is not None:
                    submission_id, kind = message["data"].split()
                    self._callback(int(submission_id), kind == b"done")

    def stop(self) -> None:
        self._stopped.set()
