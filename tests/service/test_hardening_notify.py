"""While Redis is down, the notification listener backs off and logs once per outage."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import msgspec
import pytest
import redis
from service_support import RedisServer

from runners.queue.notify import CHANNEL, Notice, RedisListener


def outages_logged(caplog: pytest.LogCaptureFixture) -> int:
    return sum("notifications lost" in record.getMessage() for record in caplog.records)


def attempts_to_connect(server: RedisServer, seconds: float) -> int:
    """How many times the listener tried to connect while Redis was down for `seconds`."""
    tries = 0
    original = redis.Connection.connect

    def counted(connection: redis.Connection) -> None:
        nonlocal tries
        if connection.port == server.port:
            tries += 1
        original(connection)

    redis.Connection.connect = counted  # type: ignore[method-assign]
    try:
        time.sleep(seconds)
    finally:
        redis.Connection.connect = original  # type: ignore[method-assign]
    return tries


def test_the_listener_backs_off_and_logs_once_per_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="runners.queue.notify")
    server = RedisServer(tmp_path)  # not started: Redis is down
    heard = threading.Event()
    listener = RedisListener(
        redis.Redis.from_url(server.url, socket_connect_timeout=2),
        lambda notice: heard.set() if notice == Notice(7, done=True) else None,
    )
    listener.start()
    try:
        tries = attempts_to_connect(server, 6.0)
        assert 1 <= tries <= 5  # 0.5, 1, 2, 4 s apart, where it used to try 12 times
        assert outages_logged(caplog) == 1
        server.start()
        assert listener.listening.wait(60)
        publisher = redis.Redis.from_url(server.url)
        while not heard.wait(0.1):  # published until heard: the subscription may lag
            publisher.publish(CHANNEL, msgspec.json.encode(Notice(7, done=True)))
        server.stop()
        while outages_logged(caplog) < 2:  # the second outage is logged, once
            time.sleep(0.1)
    finally:
        listener.stop()
        server.stop()
