"""Warm starts: a program started before its request, which then becomes the run's program.

An interpreter takes milliseconds to start, more than all the rest of a run.
A request may name a zygote: a command its spare init starts ahead, with the
program's user, no capabilities and the seccomp filter, but no rlimits yet,
its working directory `/box`, its environment the request's, and fd 3 a Unix
socket. When the request comes, the init lowers the zygote's rlimits and
sends over fd 3 one message, the working directory then each item of argv,
each ended by a NUL byte, with the program's stdin, stdout and stderr
attached (SCM_RIGHTS). The zygote puts them on fds 0 to 2, closes fd 3, and
becomes `argv` as if exec'd.

Its start-up happens before the run's cgroup: it counts in neither the run's
CPU time nor its memory.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Mapping, Sequence

from sandbox import program
from sandbox.request import WORKSPACE

CHANNEL_FD = 3


def start(argv: Sequence[str], env: Mapping[str, str]) -> tuple[int, socket.socket]:
    """Fork and exec the zygote (with our restrictions); its pid and our end of its channel."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(theirs.fileno(), CHANNEL_FD)
            os.closerange(CHANNEL_FD + 1, 1 << 20)
            for number in program.DEFAULT_SIGNALS:
                signal.signal(number, signal.SIG_DFL)
            os.chdir(WORKSPACE)
            os.execve(argv[0], list(argv), dict(env))
        finally:
            os._exit(127)
    theirs.close()
    return pid, ours


def hand_over(channel: socket.socket, run: program.Program) -> None:
    """Make the zygote the run's program."""
    message = b"".join(f"{item}\0".encode() for item in (run.cwd, *run.argv))
    try:
        socket.send_fds(channel, [message], [0, 1, 2])
    except OSError as error:
        raise OSError(error.errno, f"the warm {run.argv[0]} died before its request") from error
    finally:
        channel.close()
