"""Warm starts: a program started before its request, which then becomes the run's program.

An interpreter takes milliseconds to start, more than all the rest of a run.
A request may name a zygote: a command its init starts ahead, with the
program's user, no capabilities and the seccomp filter, but no rlimits yet,
its working directory `/box`, its environment the request's, and fd 3 a Unix
socket. When the request comes, the init lowers the zygote's rlimits and
sends over fd 3 one message, the working directory then each item of argv,
each ended by a NUL byte, with the program's stdin, stdout and stderr
attached (SCM_RIGHTS). The zygote puts them on fds 0 to 2, closes fd 3, and
becomes `argv` as if exec'd.

Its start-up happens before the run begins: its CPU time is not the run's,
and its memory is part of the sandbox's baseline, beyond which the run's
memory limit applies. Until its request comes, its stdin, stdout and stderr
are /dev/null, and a channel closed with no request (the sandbox ended)
should make it exit quietly. A zygote serves one run; in a session the init
starts the next one as soon as a run is over. A fork server
(sandbox/forkserver.py) is started the same way but serves every run.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sandbox import program, rlimits
from sandbox.request import WORKSPACE

CHANNEL_FD = 3


@dataclass
class Process:
    """A warm process the init started, and our ends of its descriptors."""

    pid: int
    channel: socket.socket  # our end of its fd 3
    exec_errors: int  # close-on-exec pipe: why its exec failed, or nothing


def start(argv: Sequence[str], env: Mapping[str, str]) -> Process:
    """Fork and exec `argv`, with our restrictions and working directory `/box`."""
    ours, theirs = socket.socketpair()
    errors, error_write = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the init's, not ours
            os.dup2(theirs.fileno(), CHANNEL_FD)
            os.dup2(error_write, CHANNEL_FD + 1, inheritable=False)
            os.closerange(CHANNEL_FD + 2, 1 << 20)
            null = os.open("/dev/null", os.O_RDWR)  # its streams until the request's come
            for target in (0, 1, 2):
                os.dup2(null, target)
            os.close(null)
            for number in program.DEFAULT_SIGNALS:
                signal.signal(number, signal.SIG_DFL)
            os.chdir(WORKSPACE)
            os.execve(argv[0], list(argv), dict(env))
        except OSError as error:
            os.write(CHANNEL_FD + 1, f"{argv[0]}: {error.strerror}".encode())
        finally:
            os._exit(127)
    theirs.close()
    os.close(error_write)
    return Process(pid, ours, errors)


def check_started(process: Process, what: str) -> None:
    """Wait until `process` exec'd; raise OSError if it could not."""
    if process.exec_errors < 0:
        return
    failure = os.read(process.exec_errors, 4096)  # returns once it exec'd, or failed to
    os.close(process.exec_errors)
    process.exec_errors = -1
    if failure:
        why = failure.decode(errors="replace")
        raise OSError(errno.ENOEXEC, f"cannot start the {what} {why}")


def request_message(run: program.Command) -> bytes:
    """The working directory, then argv, each ended by a NUL byte."""
    return b"".join(os.fsencode(item) + b"\0" for item in (run.cwd, *run.argv))


def hand_over(process: Process, run: program.Command, what: str) -> None:
    """Send `process` the run (our fds 0 to 2 are its stdin, stdout and stderr)."""
    check_started(process, what)
    try:
        socket.send_fds(process.channel, [request_message(run)], [0, 1, 2])
    except OSError as error:
        why = f"the {what} of {run.argv[0]} died before its request"
        raise OSError(error.errno, why) from error


def discard(process: Process) -> None:
    """Let go of our ends of its descriptors (it exits, or is killed with the run)."""
    process.channel.close()
    if process.exec_errors >= 0:
        os.close(process.exec_errors)


class Zygote:
    """A zygote of the init's: one at a time, each becoming one run's program."""

    what = "zygote"

    def __init__(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        self.argv, self.env = tuple(argv), dict(env)
        self.process: Process | None = start(self.argv, self.env)
        self.limits: dict[int, tuple[int, int]] = {}

    @property
    def pid(self) -> int | None:
        """The process to spare when a run ends: none, the zygote was the run."""
        return None

    def limit(self, values: dict[int, tuple[int, int]]) -> None:
        self.limits = values
        if self.process is not None:
            rlimits.apply(values, self.process.pid)

    def launch(self, run: program.Command) -> int:
        assert self.process is not None, "a zygote serves one run"
        process, self.process = self.process, None
        try:
            hand_over(process, run, self.what)
        finally:
            discard(process)
        return process.pid

    def channel(self) -> socket.socket | None:
        return None

    def answer(self) -> int | None:
        raise AssertionError("a zygote becomes the run: it never answers")

    def reaped(self, pid: int) -> None:
        """A child of the init was reaped (the zygote dies with its run)."""

    def refresh(self) -> None:
        """Start the next run's zygote (its start-up overlaps the wait for a request)."""
        if self.process is None:
            self.process = start(self.argv, self.env)
            rlimits.apply(self.limits, self.process.pid)

    def close(self) -> None:
        if self.process is not None:
            discard(self.process)
            self.process = None
