"""The init as pid 1: reaping every process of a run, and killing the ones left.

Orphans of the run are reparented to the init, which reaps them as they
exit so that their zombies do not count against the process limit. A
SIGCHLD handler writes to a pipe (`signal.set_wakeup_fd`), so the init can
wait for its children and for the supervisor's messages at once.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

KILL_ROUNDS = 200  # passes over the run's processes before killing everything instead


@dataclass(frozen=True)
class Exited:
    pid: int
    status: int
    usage: Any  # resource.struct_rusage


class Reaper:
    def __init__(self) -> None:
        self.wakeup, write = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
        signal.set_wakeup_fd(write, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda number, frame: None)  # only to wake us

    def reap(self) -> Iterator[Exited]:
        """Every child that has exited by now; none when there is no child at all."""
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            yield Exited(pid, status, usage)

    def wait(self, others: list[int], timeout: float | None) -> list[int]:
        """Wait until a child may have exited or one of `others` is readable; the readable ones."""
        readable, _, _ = select.select([self.wakeup, *others], [], [], timeout)
        if self.wakeup in readable:
            with contextlib.suppress(BlockingIOError):
                while os.read(self.wakeup, 4096):
                    pass
        return [fd for fd in readable if fd != self.wakeup]

    def kill_everyone(self, on_exit: Callable[[Exited], None]) -> None:
        """Kill and reap every process of this pid namespace but us."""
        with contextlib.suppress(ProcessLookupError):  # nobody left
            os.kill(-1, signal.SIGKILL)
        while True:
            try:
                pid, status, usage = os.wait4(-1, 0)
            except ChildProcessError:
                return
            on_exit(Exited(pid, status, usage))

    def kill_all_but(self, keep: int, on_exit: Callable[[Exited], None]) -> bool:
        """Kill and reap every process of this pid namespace but us and `keep`.

        Returns False if that did not settle (then everyone, `keep` too, is
        killed): a run that forks as fast as it is killed, or `keep` gone.
        """
        for _ in range(KILL_ROUNDS):
            others = [pid for pid in _pids() if pid not in (1, keep)]
            if not others:
                return True
            for pid in others:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            reaped = list(self.reap())
            for exited in reaped:
                on_exit(exited)
            if any(exited.pid == keep for exited in reaped):
                break
            if not reaped:
                self.wait([], 0.01)
        self.kill_everyone(on_exit)
        return False


def _pids() -> list[int]:
    """The processes of this pid namespace, as its own /proc lists them (zombies too)."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]
