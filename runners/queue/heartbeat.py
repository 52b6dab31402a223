"""The heartbeat of a worker process: it renews the lease of every claim being judged.

A lease lasts `JUDGE_REQUEUE_AFTER` seconds and is renewed every third of
that, so a judging as slow as it may be keeps its claim, while the claim of
a worker that died lapses and the sweeper re-enqueues it (runners/store/lease.py).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
Renewal = Callable[[], bool]  # True while the lease is ours


class Heartbeat(threading.Thread):
    """Renews the leases held by this process until stopped."""

    def __init__(self, lease_seconds: float) -> None:
        super().__init__(name="judge-heartbeat", daemon=True)
        self.period = max(lease_seconds / 3, 0.05)
        self._held: dict[int, tuple[str, Renewal]] = {}
        self._keys = itertools.count()
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    @contextmanager
    def hold(self, name: str, renew: Renewal) -> Iterator[None]:
        """Renew a lease (`name` for the logs) with `renew` while inside."""
        key = next(self._keys)
        with self._lock:
            self._held[key] = (name, renew)
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(key, None)

    def run(self) -> None:
        while not self._stopped.wait(self.period):
            with self._lock:
                held = list(self._held.items())
            for key, (name, renew) in held:
                try:
                    if not renew():
                        log.warning("%s: lease lost, another worker may judge it too", name)
                        with self._lock:
                            self._held.pop(key, None)
                except Exception:
                    log.exception("%s: lease not renewed; trying again", name)

    def stop(self) -> None:
        self._stopped.set()
