"""Watching runs from the supervisor: their output, their wall and CPU time, their reports.

Several runs may be watched at once (runs connected by pipes). A run ends
when its init's report is in; a run past a limit is killed by its init,
which the supervisor asks to (`kill`), or with its init if that takes more
than KILL_GRACE (`force`).
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sandbox import protocol
from sandbox.limits import Limits
from sandbox.status import Status

CPU_POLL_MAX = 0.05  # seconds between two looks at the CPU time, at most
CPU_POLL_MIN = 0.002
MEANWHILE_AFTER = 0.0005  # seconds
KILL_GRACE = 5.0  # seconds an init has to kill a run and report before it is killed itself
CPUS = os.cpu_count() or 1  # a run may use them all at once


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
    """One run as the supervisor follows it."""

    limits: Limits
    report_fd: int
    output_fds: dict[int, Stream]  # read ends of the run's own stdout (when ours) and stderr
    stdout: Stream
    stderr: Stream
    kill_init: Callable[[], None]  # ask the init to kill the run
    force: Callable[[], None]  # kill the init itself
    cpu_time: Callable[[], float] | None
    report: bytearray = field(default_factory=bytearray)
    started: float = field(default_factory=time.monotonic)
    wall_time: float = 0.0
    killed_for: tuple[Status, str] | None = None
    forced: bool = False  # its init was killed: no report
    kill_deadline: float | None = None
    done: bool = False

    def kill(self, status: Status, message: str) -> None:
        if self.killed_for is None:
            self.killed_for = (status, message)
            self.kill_deadline = time.monotonic() + KILL_GRACE
            self.kill_init()

    def used(self) -> float | None:
        """The CPU time the run used so far, while it is worth watching."""
        return self.cpu_time() if self.cpu_time is not None and self.killed_for is None else None

    def check(self, now: float, cpu: float | None) -> None:
        limits = self.limits
        if now >= self.started + limits.wall_time:
            self.kill(Status.TLE, f"wall time limit of {limits.wall_time:g} s exceeded")
        if self.kill_deadline is not None and now >= self.kill_deadline and not self.forced:
            self.forced = True
            self.force()
        if cpu is not None and cpu >= limits.cpu_time:
            self.kill(Status.TLE, f"CPU time limit of {limits.cpu_time:g} s exceeded")

    def next_look(self, now: float, cpu: float | None) -> float:
        """When `check` is due next."""
        due = self.started + self.limits.wall_time
        if self.kill_deadline is not None and not self.forced:
            due = min(due, self.kill_deadline)
        if cpu is not None and self.killed_for is None:
            left = self.limits.cpu_time - cpu
            due = min(due, now + max(CPU_POLL_MIN, min(CPU_POLL_MAX, left / CPUS)))
        return due

    def feed_report(self, chunk: bytes) -> None:
        if not chunk:  # the init died: its report will never be complete
            self.finish()
            return
        self.report += chunk
        size = protocol.framed_size(self.report)
        if size is not None and len(self.report) >= size:
            self.finish()

    def finish(self) -> None:
        self.done = True
        self.wall_time = time.monotonic() - self.started

    def feed_output(self, fd: int, chunk: bytes) -> None:
        stream = self.output_fds[fd]
        stream.feed(chunk)
        if stream.total > self.limits.output:
            self.kill(Status.OLE, f"output limit of {self.limits.output} bytes exceeded")

    def drain(self) -> None:
        """Read the output pipes to their end: call once no process of the run is left."""
        for fd, stream in self.output_fds.items():
            with contextlib.suppress(BlockingIOError):
                while chunk := os.read(fd, 1 << 16):
                    stream.feed(chunk)


def watch(runs: Sequence[Watch], meanwhile: Callable[[], None] | None = None) -> None:
    """Follow `runs` until each one's report is in (or its init died); kill past a limit.

    `meanwhile` is called once, if a run is still going after
    MEANWHILE_AFTER: work for this process that must not delay the run's
    start (a wakeup often lands on the waker's CPU, which should be asleep
    by then).
    """
    owners: dict[int, Watch] = {}
    poller = select.poll()
    for run in runs:
        for fd in (run.report_fd, *run.output_fds):
            owners[fd] = run
            poller.register(fd, select.POLLIN)
    started = time.monotonic()
    while not all(run.done for run in runs):
        now = time.monotonic()
        pending = [(run, run.used()) for run in runs if not run.done]
        for run, cpu in pending:
            run.check(now, cpu)
        if meanwhile is not None and now >= started + MEANWHILE_AFTER:
            meanwhile()
            meanwhile = None
            continue
        due = min(run.next_look(now, cpu) for run, cpu in pending)
        if meanwhile is not None:
            due = min(due, started + MEANWHILE_AFTER)
        for fd, _event in poller.poll(max(0.0, due - now) * 1000):
            run = owners[fd]
            chunk = os.read(fd, 1 << 16)
            if fd == run.report_fd:
                run.feed_report(chunk)
                if run.done:
                    poller.unregister(fd)
            elif chunk:
                run.feed_output(fd, chunk)
            else:
                poller.unregister(fd)
                del owners[fd]
