"""The last steps of a run's program before it becomes the untrusted command.

Runs in the child the run's init forks: standard streams, limits, then no way
back (no groups, an unprivileged uid, no capabilities, no_new_privs, the
seccomp filter) and exec. A failure is written to `error_fd` (close-on-exec,
so the init reads nothing when exec succeeds).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

import prctl

from sandbox import libc, rlimits
from sandbox.rootfs import PROGRAM_UID


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


def _standard_streams(program: Program, keep: int) -> None:
    for fd, target in ((program.stdin, 0), (program.stdout, 1), (program.stderr, 2)):
        os.dup2(fd, target)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 20)


def _default_signals() -> None:
    # Python ignores SIGPIPE and SIGXFSZ; exec keeps ignored signals ignored.
    for number in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def _drop_privileges() -> None:
    prctl.capbset.limit()  # empty the bounding set while we still may
    os.setgroups([])
    os.setresgid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    os.setresuid(PROGRAM_UID, PROGRAM_UID, PROGRAM_UID)
    prctl.set_no_new_privs(True)


def become(program: Program, error_fd: int) -> NoReturn:
    """Turn this process into `program.argv` (never returns)."""
    try:
        os.setsid()
        _standard_streams(program, error_fd)
        _default_signals()
        prctl.set_dumpable(True)  # the init is not: our /proc files must be ours again
        with open("/proc/self/oom_score_adj", "w") as oom:
            oom.write("1000")  # the OOM killer takes the program, never the init
        os.chdir(program.cwd)
        rlimits.apply(program.rlimits)
        _drop_privileges()
        libc.load_seccomp(program.seccomp_bpf)
        os.execve(program.argv[0], list(program.argv), dict(program.env))
    except BaseException as error:
        os.write(error_fd, f"cannot execute {program.argv[0]}: {error}".encode())
    os._exit(127)
