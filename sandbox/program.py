"""The program of a run: its restrictions, and how the run's init starts its command.

The init takes on the program's restrictions itself, once its tree is built
and before any request (no groups, the unprivileged uid, no capabilities,
no_new_privs, the seccomp filter), then the request's rlimits, and starts
the program with posix_spawn: a vfork, so no Python runs in the child and no
memory is copied. The init needs none of its privileges afterwards: writing
and reading the workspace, reaping and killing the run's processes (same
uid) all work as the program's user.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import prctl

from sandbox import libc
from sandbox.rootfs import PROGRAM_UID

# Python ignores these; posix_spawn resets them so the program sees the defaults.
DEFAULT_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT)


@dataclass(frozen=True)
class Command:
    argv: Sequence[str]
    env: Mapping[str, str]
    cwd: str  # its standard streams are ours, on fds 0 to 2
    rlimits: dict[int, tuple[int, int]]


def drop_privileges(seccomp_bpf: bytes) -> None:
    """Become the program's user for good: no capabilities, no way back, seccomp."""
    prctl.capbset.limit()  # empty the bounding set while we still may
    # Unprivileged, the supervisor could only map its own ids and had to deny
    # setgroups: our groups are then the host user's, unmapped inside.
    with contextlib.suppress(PermissionError):
        os.setgroups([])
    os.setresgid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    os.setresuid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    prctl.set_no_new_privs(True)
    libc.load_seccomp(seccomp_bpf)


def spawn(program: Command) -> int:
    """Start the program in its working directory, with our fds 0 to 2; returns its pid."""
    os.chdir(program.cwd)
    return os.posix_spawn(
        program.argv[0],
        list(program.argv),
        dict(program.env),
        setsid=True,
        setsigdef=DEFAULT_SIGNALS,
        setsigmask=(),
    )
