"""`SandboxPool`: several supervisors shared by threads."""

from __future__ import annotations

import queue

from sandbox.client import Sandbox
from sandbox.closing import Closing
from sandbox.config import SandboxConfig
from sandbox.request import RunRequest, RunResult


class SandboxPool(Closing):
    """At most `size` runs at once, each through a supervisor of the pool. Thread-safe."""

    def __init__(self, size: int, config: SandboxConfig | None = None) -> None:
        self._idle: queue.LifoQueue[Sandbox] = queue.LifoQueue()
        self._all = [Sandbox(config) for _ in range(size)]
        for sandbox in self._all:
            self._idle.put(sandbox)

    def run(self, request: RunRequest) -> RunResult:
        sandbox = self._idle.get()
        try:
            return sandbox.run(request)
        finally:
            self._idle.put(sandbox)

    def close(self) -> None:
        for sandbox in self._all:
            sandbox.close()
