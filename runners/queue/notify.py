"""News of submissions as they are judged: each finished test with its result, then "done".

A notice carries a test's result, so that `?wait=true` and the event stream
follow a submission in memory (embedded mode) or over Redis pub/sub, without
reading the database until it is done. The database stays the truth: a
judged submission's row is written before its "done" notice, partial tests
are written there in batches, and a lost notice costs latency, never data.

Other channels carry the same notices for other news: "run N is done"
(`RUN_CHANNEL`, `POST /runs`), "contest N changed" (`CONTEST_CHANNEL`, the
live scoreboards). While Redis is down the listener retries with an
exponential back-off and logs once per outage.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

import msgspec
import redis

from runners.judging.results import TestResult

log = logging.getLogger(__name__)
CHANNEL = "judge:submissions"
# "contest N changed" (the flag is unused): see judge_api/scoreboards.py
CONTEST_CHANNEL = "judge:contests"
RUN_CHANNEL = "judge:runs"
RETRY_FIRST, RETRY_MAX = 0.5, 30.0  # seconds between reconnections: doubling, capped


class Notice(msgspec.Struct, frozen=True, omit_defaults=True):
    """Submission `id` finished its test number `index` (from 0), or is `done`."""

    id: int
    done: bool = False
    index: int = -1
    test: TestResult | None = None


class Notifier(Protocol):
    def publish(self, notice: Notice) -> None: ...


Listener = Callable[[Notice], None]


class LocalNotifier:
    """Calls listeners in the same process (embedded mode)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def publish(self, notice: Notice) -> None:
        for listener in self._listeners:
            listener(notice)


class RedisNotifier:
    """Publishes on a Redis channel that every API process subscribes to."""

    def __init__(self, client: redis.Redis, channel: str = CHANNEL) -> None:
        self._client = client
        self._channel = channel

    def publish(self, notice: Notice) -> None:
        try:
            self._client.publish(self._channel, msgspec.json.encode(notice))
        except redis.RedisError as error:
            log.warning("could not notify %s %s: %s", self._channel, notice.id, error)


class RedisListener(threading.Thread):
    """Forwards the channel to a callback, reconnecting when Redis goes away."""

    def __init__(self, client: redis.Redis, callback: Listener, channel: str = CHANNEL) -> None:
        super().__init__(name=f"judge-notifications-{channel}", daemon=True)
        self._client = client
        self._callback = callback
        self._channel = channel
        self._stopped = threading.Event()
        self.listening = threading.Event()  # subscribed since the last failure
        self._decoder = msgspec.json.Decoder(Notice)

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
                if message is None:
                    continue
                try:
                    notice = self._decoder.decode(message["data"])
                except msgspec.DecodeError as error:
                    log.warning("ignoring a malformed notice: %s", error)
                    continue
                self._callback(notice)

    def stop(self) -> None:
        self._stopped.set()
