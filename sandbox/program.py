"""The program of a run: how the run's init starts it, with no way back.

The init itself takes on the program's restrictions (no groups, the
unprivileged uid, no capabilities, no_new_privs, rlimits, the seccomp
filter), then starts the program with posix_spawn: a vfork, so no Python
runs in the child and no memory is copied. The init needs none of its
privileges afterwards: reaping, killing the program's processes (same uid)
and reading the workspace all work as the program's user.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import prctl

from sandbox import libc, rlimits
from sandbox.rootfs import PROGRAM_UID

# Python ignores these; posix_spawn resets them so the program sees the defaults.
DEFAULT_SIGNALS = (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT)


@dataclass(frozen=True)
class Program:
    argv: Sequence[str]
    env: Mapping[str, str]
    cwd: str
    stdin: int
    stdout: int
    stderr: int
    rlimits: dict[int, tuple[int, int]]
    seccomp_bpf: bytes


def restrict(program: Program) -> None:
    """Give this process the program's restrictions, for good."""
    rlimits.apply(program.rlimits)
    prctl.capbset.limit()  # empty the bounding set while we still may
    # Unprivileged, the supervisor could only map its own ids and had to deny
    # setgroups: our groups are then the host user's, unmapped inside.
    with contextlib.suppress(PermissionError):
        os.setgroups([])
    os.setresgid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    os.setresuid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    prctl.set_no_new_privs(True)
    libc.load_seccomp(program.seccomp_bpf)


def spawn(program: Program) -> int:
    """Start the program in its working directory; returns its pid."""
    os.chdir(program.cwd)
    return os.posix_spawn(
        program.argv[0],
        list(program.argv),
        dict(program.env),
        file_actions=[
            (os.POSIX_SPAWN_DUP2, program.stdin, 0),
            (os.POSIX_SPAWN_DUP2, program.stdout, 1),
            (os.POSIX_SPAWN_DUP2, program.stderr, 2),
        ],
        setsid=True,
        setsigdef=DEFAULT_SIGNALS,
        setsigmask=(),
    )
