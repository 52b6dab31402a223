"""A token bucket per API token: `rate` requests a minute, bursts up to `rate`."""

from __future__ import annotations

import math
import threading
import time


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(max(per_minute, 1))
        self.refill = self.capacity / 60.0  # tokens per second
        self._buckets: dict[int, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: int) -> int:
        """0 if `key` may go on, else the whole seconds to wait (for `Retry-After`)."""
        moment = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(key, (self.capacity, moment))
            tokens = min(self.capacity, tokens + (moment - when) * self.refill)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, moment)
                return 0
            self._buckets[key] = (tokens, moment)
            return max(1, math.ceil((1.0 - tokens) / self.refill))
