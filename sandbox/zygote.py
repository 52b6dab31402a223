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

Its start-up happens before the run begins: its CPU time is not the run's,
and its memory is part of the sandbox's baseline, beyond which the run's
memory limit applies. Until its request comes, its stdin, stdout and stderr
are /dev/null, and a channel closed with no request (the spare was
discarded) should make it exit quietly.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sandbox import program
from sandbox.request import WORKSPACE

CHANNEL_FD = 3


@dataclass(frozen=True)
class Zygote:
    pid: int
    channel: socket.socket  # our end of its fd 3
    exec_errors: int  # close-on-exec pipe: why its exec failed, or nothing


def start(argv: Sequence[str], env: Mapping[str, str]) -> Zygote:
    """Fork and exec the zygote, with our restrictions and working directory `/box`."""
    ours, theirs = socket.socketpair()
    errors, error_write = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
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
    return Zygote(pid, ours, errors)


def hand_over(zygote: Zygote, run: program.Command) -> None:
    """Make the zygote the run's program (it has our fds 0 to 2)."""
    failure = os.read(zygote.exec_errors, 4096)  # returns once it exec'd, or failed to
    os.close(zygote.exec_errors)
    if failure:
        raise OSError(errno.ENOEXEC, f"cannot start the zygote {failure.decode(errors='replace')}")
    message = b"".join(f"{item}\0".encode() for item in (run.cwd, *run.argv))
    try:
        socket.send_fds(zygote.channel, [message], [0, 1, 2])
    except OSError as error:
        why = f"the zygote of {run.argv[0]} died before its request"
        raise OSError(error.errno, why) from error
    finally:
        zygote.channel.close()
