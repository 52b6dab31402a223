"""Watching a run from the supervisor: its output, its wall and CPU time."""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.limits import Limits
from sandbox.status import Status

CPU_POLL_MAX = 0.05  # seconds between two looks at the CPU time, at most
CPU_POLL_MIN = 0.002
MEANWHILE_AFTER = 0.0005  # seconds


@dataclass
class Stream:
    """One output stream: its first `keep` bytes, and how much came in all."""

    keep: int
    data: bytearray = field(default_factory=bytearray)
    total: int = 0

    def feed(self, chunk: bytes) -> None:
        room = self.keep - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.total += len(chunk)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.data)


@dataclass
class Watch:
    stdout: Stream
    stderr: Stream
    report: bytearray = field(default_factory=bytearray)
    wall_time: float = 0.0
    killed_for: tuple[Status, str] | None = None


def _cpu_poll_interval(cpu_left: float) -> float:
    return max(CPU_POLL_MIN, min(CPU_POLL_MAX, cpu_left / (os.cpu_count() or 1)))


def watch(
    pid: int,
    report: int,
    stdout: int,
    stderr: int,
    limits: Limits,
    cpu_time: Callable[[], float] | None,
    meanwhile: Callable[[], None] | None = None,
) -> Watch:
    """Follow the run whose init is `pid` until its report ends; kill it past a limit.

    The report pipe closes when the init exits, which it does once every other
    process of the run is dead and reaped; a killed init's namespace is
    emptied by the kernel, which `drain` waits for. `meanwhile` is called
    once, if the run is still going after MEANWHILE_AFTER: work for this
    process that must not delay the run's start (a wakeup often lands on the
    waker's CPU, which should be asleep by then).
    """
    result = Watch(Stream(limits.output_kept), Stream(limits.output_kept))
    streams = {stdout: result.stdout, stderr: result.stderr}
    poller = select.poll()
    for fd in (report, stdout, stderr):
        poller.register(fd, select.POLLIN)
    started = time.monotonic()
    deadline = started + limits.wall_time

    def kill(status: Status, message: str) -> None:
        if result.killed_for is None:
            result.killed_for = (status, message)
            os.kill(pid, signal.SIGKILL)

    reporting = True
    while reporting:
        now = time.monotonic()
        if now >= deadline:
            kill(Status.TLE, f"wall time limit of {limits.wall_time:g} s exceeded")
        if meanwhile is not None and now >= started + MEANWHILE_AFTER:
            meanwhile()
            meanwhile = None
            continue
        timeout = max(0.0, deadline - now)
        if meanwhile is not None:
            timeout = min(timeout, started + MEANWHILE_AFTER - now)
        if cpu_time is not None:
            timeout = min(timeout, _cpu_poll_interval(limits.cpu_time - cpu_time()))
        for fd, _event in poller.poll(timeout * 1000 if result.killed_for is None else None):
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                poller.unregister(fd)
                reporting = reporting and fd != report
            elif fd == report:
                result.report += chunk
            else:
                streams[fd].feed(chunk)
                if streams[fd].total > limits.output:
                    kill(Status.OLE, f"output limit of {limits.output} bytes exceeded")
        if cpu_time is not None and result.killed_for is None and cpu_time() >= limits.cpu_time:
            kill(Status.TLE, f"CPU time limit of {limits.cpu_time:g} s exceeded")
    result.wall_time = time.monotonic() - started
    return result


def drain(watched: Watch, stdout: int, stderr: int) -> None:
    """Read the output pipes to their end: call once no process of the run is left."""
    for fd, stream in ((stdout, watched.stdout), (stderr, watched.stderr)):
        while chunk := os.read(fd, 1 << 16):
            stream.feed(chunk)
