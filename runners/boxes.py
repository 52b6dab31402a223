"""A bounded pool of sandboxes lent to one thread at a time (a Sandbox is not thread-safe)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sandbox import Sandbox


class Boxes:
    """At most `size` sandboxes, created on first need and reused.

    A sandbox whose use raised is closed rather than lent again: its
    supervisor may be broken.
    """

    def __init__(self, size: int, factory: Callable[[], Sandbox] = Sandbox) -> None:
        self._factory = factory
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Sandbox] = []
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self) -> Iterator[Sandbox]:
        with self._slots:
            with self._lock:
                box = self._idle.pop() if self._idle else None
            if box is None:
                box = self._factory()
                box.__enter__()
            try:
                yield box
            except BaseException:
                box.__exit__(None, None, None)
                raise
            with self._lock:
                self._idle.append(box)

    def close(self) -> None:
        """Close the idle sandboxes (call once nobody borrows any more)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for box in idle:
            box.__exit__(None, None, None)
