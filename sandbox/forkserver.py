"""Fork servers: a warm process started once per sandbox, which forks every run's program.

A zygote (sandbox/zygote.py) moves an interpreter's start-up off a run's
critical path, but each run still pays for it. A fork server starts once,
like a zygote (fd 3 its channel, /box, the request's environment, /dev/null
on fds 0 to 2, the program's restrictions), and then, for each message on fd
3 (a zygote's request: the working directory and argv, each ended by a NUL
byte, the run's stdin, stdout and stderr attached), forks a process that
forks the run and exits at once. The run is thus an orphan that the init
reaps, its exit status and resource usage exact and its parent pid 1, as
for a program the init started itself (once the middle is gone: a fork
server should hold the run until it reaped the middle, as
languages/python_warm.py does with a pipe); the middle process writes the run's
pid, in decimal and a newline, on fd 3. The run closes fd 3, takes the
streams as fds 0 to 2, gets the signal mask and dispositions of a fresh
process and its own session, and becomes argv. A closed channel means the
sandbox ended: exit.

The runs share the fork server's uid. Before reading its first request it
makes itself non-dumpable (`prctl(PR_SET_DUMPABLE, 0)`), so that no run can
reach its memory or descriptors. Between runs the init checks that it is
still alive, not dumpable and unchanged (sandbox/integrity.py), and replaces
it otherwise, or when its CPU time nears its CPU rlimit; before each request
it sends it SIGCONT (a run may have stopped it). Its start-up is not any
run's: its CPU time is spent before the first request or between runs, and
its memory is part of the baseline beyond which a run's memory limit applies.
The Python plugin's is `languages/python_warm.py --fork-server`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Mapping, Sequence

from sandbox import integrity, program, rlimits, zygote
from sandbox.rootfs import PROGRAM_UID


class ForkServer:
    what = "fork server"

    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        self.argv, self.env = tuple(argv), dict(env)
        self.process = zygote.start(self.argv, self.env)
        self.alive = True
        self.limits: dict[int, tuple[int, int]] = {}
        self.expected: integrity.Attributes | None = None
        self.answers = b""
        self.undumpable = False  # checked once: no run can make it dumpable again

    @property
    def pid(self) -> int | None:
        """The process to spare when a run ends."""
        return self.process.pid if self.alive else None

    def limit(self, values: dict[int, tuple[int, int]]) -> None:
        """Lower its rlimits to a run's (its forks inherit them), then remember its attributes."""
        self.limits = values
        rlimits.apply(values, self.process.pid)
        self.expected = integrity.Attributes.of(self.process.pid)

    def launch(self, run: program.Command) -> None:
        """Ask for the run (our fds 0 to 2 are its streams); its pid comes by `answer`."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGCONT)
        zygote.hand_over(self.process, run, self.what)

    def channel(self) -> socket.socket | None:
        return self.process.channel if self.alive else None

    def answer(self) -> int | None:
        """The run's pid once its line is in (call when the channel is readable)."""
        data = self.process.channel.recv(64)
        if not data:
            raise OSError(f"the {self.what} {self.argv[0]} died before starting the run")
        self.answers += data
        line, newline, rest = self.answers.partition(b"\n")
        if not newline:
            return None
        self.answers = rest
        return int(line)

    def reaped(self, pid: int) -> None:
        if pid == self.process.pid:
            self.alive = False

    def sound(self) -> bool:
        """Alive (and not about to die), not dumpable, unchanged by the runs, far from its
        CPU rlimit."""
        pid = self.process.pid
        if not self.alive or not integrity.unchanged(self.expected, pid):
            return False
        try:
            if integrity.doomed(pid):
                return False
            if os.stat(f"/proc/{pid}/environ").st_uid == PROGRAM_UID:
                return (
                    False  # dumpable (else its files are root's): it does not follow the protocol
                )
            return not rlimits.worn(self.limits, integrity.cpu_seconds(pid))
        except OSError:
            return False

    def refresh(self) -> None:
        """Before the next run: replace it unless it is sound."""
        if self.sound():
            return
        self.close()
        self.process = zygote.start(self.argv, self.env)
        self.alive = True
        self.answers = b""
        self.undumpable = False
        self.limit(self.limits)

    def close(self) -> None:
        """Kill and reap it (the init has no other child between runs)."""
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.process.pid, 0)
            self.alive = False
        zygote.discard(self.process)
