"""Following submissions in memory: `?wait=true` and server-sent events, woken by notices.

Worker threads (embedded mode) or the Redis listener call `Hub.notify` from
any thread with each notice (runners/queue/notify.py): a finished test with
its result, or "done". A `Watcher` registered for a submission collects the
tests notified since it registered and learns when the submission is done,
without reading the database; the hub also remembers the last submissions
done, for a watcher that registers just after. A watcher reads the
database once to start (the tests finished before it registered, written
in batches) and once at the end, and again only when a notice was lost (a
gap in the tests, or no news for POLL seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TypeVar

from anyio import to_thread

from runners.judging.results import TestResult
from runners.queue.notify import Notice

T = TypeVar("T")
POLL = 5.0  # seconds without news before reading the database, in case a notice was lost
REMEMBERED = 4096  # submissions done lately, that the hub remembers


class Watcher:
    """What one follower of a submission learnt; used on the event loop only."""

    def __init__(self, tests: bool) -> None:
        self.wants_tests = tests
        self.event = asyncio.Event()
        self.tests: dict[int, TestResult] = {}  # by index, as notified
        self.done = False
        self.remembered = False  # `done` came from the hub's memory, not a notice to us

    def receive(self, notice: Notice) -> None:
        if notice.done:
            self.done = True
        elif notice.test is not None and self.wants_tests:
            self.tests[notice.index] = notice.test
        else:
            return
        self.event.set()

    def take(self, first: int) -> list[TestResult]:
        """The notified tests from index `first` on, as long as none is missing."""
        for index in [index for index in self.tests if index < first]:
            del self.tests[index]  # sent already, from the database
        taken: list[TestResult] = []
        while (test := self.tests.pop(first + len(taken), None)) is not None:
            taken.append(test)
        return taken

    @property
    def gap(self) -> bool:
        """Whether later tests came while earlier ones did not (a notice was lost)."""
        return bool(self.tests)

    async def news(self, timeout: float = POLL) -> bool:
        """Wait for news for at most `timeout` seconds: whether some came."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout)
        came = self.event.is_set()
        self.event.clear()
        return came


class Hub:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watchers: dict[int, set[Watcher]] = {}
        self._done: OrderedDict[int, None] = OrderedDict()
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Set the event loop the watchers run on (the API's)."""
        self._loop = loop

    def notify(self, notice: Notice) -> None:
        """Hand `notice` to the watchers of its submission; any thread."""
        with self._lock:
            if notice.done:
                self._done[notice.id] = None
                while len(self._done) > REMEMBERED:
                    self._done.popitem(last=False)
            else:  # judged again (a rejudge): done no more
                self._done.pop(notice.id, None)
            watchers = [
                watcher
                for watcher in self._watchers.get(notice.id, ())
                if notice.done or watcher.wants_tests  # waiters sleep through the tests
            ]
        loop = self._loop
        if loop is None or not watchers:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(_deliver, watchers, notice)

    @contextlib.contextmanager
    def watch(self, submission_id: int, tests: bool) -> Iterator[Watcher]:
        """A watcher of `submission_id` (of its tests too, if `tests`) while inside."""
        watcher = Watcher(tests)
        with self._lock:
            self._watchers.setdefault(submission_id, set()).add(watcher)
            watcher.done = watcher.remembered = submission_id in self._done
        try:
            yield watcher
        finally:
            with self._lock:
                watchers = self._watchers.get(submission_id, set())
                watchers.discard(watcher)
                if not watchers:
                    self._watchers.pop(submission_id, None)


def _deliver(watchers: list[Watcher], notice: Notice) -> None:
    for watcher in watchers:
        watcher.receive(notice)


async def wait_for(watcher: Watcher, timeout: float) -> None:
    """Wait until `watcher` has news or `timeout` passes (when what came does not matter)."""
    await watcher.news(timeout)


async def watch_until(
    hub: Hub, key: int, read: Callable[[], T], done: Callable[[T], bool], timeout: float
) -> T:
    """`read()` (in a thread) again on each news of `key`, until `done` or `timeout` seconds.

    Returns what was read last. For what is read once, at the end (a run).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    with hub.watch(key, tests=False) as watcher:
        while True:
            value = await to_thread.run_sync(read)
            left = deadline - loop.time()
            if done(value) or left <= 0:
                return value
            await watcher.news(min(POLL, left))
