"""Waking up requests that wait on a submission (`?wait=true`, server-sent events).

Worker threads or the Redis listener call `Hub.notify` from any thread; a
waiter registers before reading the database, so no news falls in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

from anyio import to_thread

T = TypeVar("T")
POLL = 1.0  # seconds between reads when no notification comes (one was lost)


class Hub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: dict[int, set[tuple[asyncio.Event, bool]]] = {}  # (event, wants tests)
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Set the event loop the waiters run on (the API's)."""
        self._loop = loop

    def notify(self, submission_id: int, done: bool) -> None:
        """Wake whoever waits on `submission_id` (on tests too, or only once done); any thread."""
        loop = self._loop
        with self._lock:
            waiters = list(self._waiters.get(submission_id, ()))
        events = [event for event, tests in waiters if done or tests]
        if loop is None or not events:
            return
        for event in events:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def watch(self, submission_id: int, tests: bool) -> Iterator[asyncio.Event]:
        """An event set when `submission_id` is done (and on each test if `tests`) while inside."""
        waiter = (asyncio.Event(), tests)
        with self._lock:
            self._waiters.setdefault(submission_id, set()).add(waiter)
        try:
            yield waiter[0]
        finally:
            with self._lock:
                waiters = self._waiters.get(submission_id, set())
                waiters.discard(waiter)
                if not waiters:
                    self._waiters.pop(submission_id, None)


async def wait_for(event: asyncio.Event, timeout: float) -> None:
    """Wait until `event` is set or `timeout` passes, then clear it."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)
    event.clear()


async def watch_until(
    hub: Hub, key: int, read: Callable[[], T], done: Callable[[T], bool], timeout: float
) -> T:
    """`read()` (in a thread) again on each news of `key`, until `done` or `timeout` seconds.

    Returns what was read last.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    with hub.watch(key, tests=False) as news:
        while True:
            value = await to_thread.run_sync(read)
            left = deadline - loop.time()
            if done(value) or left <= 0:
                return value
            await wait_for(news, min(POLL, left))
