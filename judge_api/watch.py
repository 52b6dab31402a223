"""Waking up requests that wait on a submission (`?wait=true`, server-sent events).

Worker threads or the Redis listener call `Hub.notify` from any thread; a
waiter registers before reading the database, so no news falls in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator


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
