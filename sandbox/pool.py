"""`SandboxPool`: the one pool of sandboxes, shared by threads.

A `Sandbox` (one supervisor) runs one request at a time. The pool holds at
most `size` of them, started on first need and reused: `borrow()` lends one
to a thread for as long as it needs (a whole submission), `session()` lends
one in a session (the submission's runs share sandboxes), `run()` and
`run_connected()` borrow one for a single request. A sandbox whose use
raised is closed rather than lent again: its supervisor may be broken.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sandbox.client import Sandbox
from sandbox.closing import Closing
from sandbox.config import SandboxConfig
from sandbox.request import RunRequest, RunResult


class SandboxPool(Closing):
    """At most `size` sandboxes in use at once. Thread-safe."""

    def __init__(
        self,
        size: int,
        config: SandboxConfig | None = None,
        factory: Callable[[SandboxConfig | None], Sandbox] = Sandbox,
    ) -> None:
        self._config = config
        self._factory = factory
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Sandbox] = []  # the most recently used last: its spares are warm
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Sandbox]:
        """A sandbox of the pool for this thread alone, until the block ends."""
        with self._slots:
            with self._lock:
                box = self._idle.pop() if self._idle else None
            box = box or self._factory(self._config)
            try:
                yield box
            except BaseException:
                box.close()
                raise
            with self._lock:
                self._idle.append(box)

    @contextmanager
    def session(self) -> Iterator[Sandbox]:
        """A sandbox of the pool for this thread alone, in a session, until the block ends."""
        with self.borrow() as box, box.session():
            yield box

    def run(self, request: RunRequest) -> RunResult:
        with self.borrow() as box:
            return box.run(request)

    def run_connected(self, first: RunRequest, second: RunRequest) -> tuple[RunResult, RunResult]:
        """`Sandbox.run_connected` on a sandbox of the pool."""
        with self.borrow() as box:
            return box.run_connected(first, second)

    def close(self) -> None:
        """Close the idle sandboxes (call once nobody borrows any more)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for box in idle:
            box.close()
