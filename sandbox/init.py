"""The run's init: pid 1 of its namespaces, between the supervisor and the program.

Cloned by the supervisor into fresh namespaces, it builds the root, waits to
be put in the run's cgroup, forks the program and reaps every process until
the program exits. Then it kills what is left, collects the files asked for
and writes a report. When it exits, the kernel kills anything remaining in
its pid namespace, so nothing of the run survives it.
"""

from __future__ import annotations

import os
import pickle
import signal
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import prctl

from sandbox import idmap, libc, program, rootfs
from sandbox.request import WORKSPACE, RunRequest


@dataclass(frozen=True)
class Init:
    """What the supervisor prepared for one run."""

    request: RunRequest
    root: str
    program: program.Program
    control: int  # read: one byte per go-ahead from the supervisor
    status: int  # write: b"r" once the tree is built
    report: int  # a memfd the report is written to
    supervisor_fds: Sequence[int]  # the supervisor's own descriptors, closed first


@dataclass
class Report:
    exit_status: int | None = None  # as from waitpid
    wall_time: float = 0.0
    cpu_time: float = 0.0  # of the program and the children it waited for
    max_rss: int = 0  # bytes
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""  # the sandbox failed: why


def _await_go(fd: int) -> None:
    if os.read(fd, 1) != b"g":
        raise RuntimeError("the supervisor went away")


def _reap_until(pid: int) -> tuple[int, Any]:
    """Reap every child (orphans included) until `pid` exits."""
    while True:
        child, status, usage = os.wait4(-1, 0)
        if child == pid:
            return status, usage


def _kill_the_rest() -> None:
    try:
        os.kill(-1, signal.SIGKILL)  # everyone in this pid namespace but us
    except ProcessLookupError:
        pass


def _collect(names: Sequence[str], max_size: int) -> dict[str, bytes]:
    """Regular files of the workspace, never through a symlink or a FIFO."""
    files = {}
    for name in names:
        try:
            fd = os.open(os.path.join(WORKSPACE, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_size <= max_size:
                files[name] = file.read(max_size)
    return files


def _run(init: Init) -> Report:
    for fd in init.supervisor_fds:
        os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # pid 1: default means ignored
    prctl.set_pdeathsig(signal.SIGKILL)  # the supervisor died: so does the run
    prctl.set_dumpable(False)
    request = init.request
    # Opened while we still have the supervisor's host uid: a bind source may
    # sit under a directory (a 0700 /root) that our mapped uid cannot search.
    binds = rootfs.open_binds(request.binds)
    _await_go(init.control)  # our id maps are written: become their init id
    os.setresgid(idmap.init_id(), idmap.init_id(), idmap.init_id())
    os.setresuid(idmap.init_id(), idmap.init_id(), idmap.init_id())
    rootfs.build(init.root, binds, request.limits)
    libc.sethostname("judge")
    rootfs.write_files(dict(request.files), request.executables)
    os.write(init.status, b"r")
    _await_go(init.control)  # we are in the run's cgroup
    libc.unshare(libc.CLONE_NEWCGROUP)
    error_read, error_write = os.pipe2(os.O_CLOEXEC)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        program.become(init.program, error_write)
    os.close(error_write)
    for fd in (init.program.stdin, init.program.stdout, init.program.stderr):
        os.close(fd)
    exec_error = os.read(error_read, 4096).decode(errors="replace")
    status, usage = _reap_until(pid)
    wall_time = time.monotonic() - started
    _kill_the_rest()
    if exec_error:
        return Report(error=exec_error)
    return Report(
        exit_status=status,
        wall_time=wall_time,
        cpu_time=usage.ru_utime + usage.ru_stime,
        max_rss=usage.ru_maxrss * 1024,
        files=_collect(request.collect, request.limits.file_size),
    )


def main(init: Init) -> NoReturn:
    """The whole life of the run's init (never returns)."""
    try:
        report = _run(init)
    except BaseException as error:
        report = Report(error=f"sandbox setup failed: {type(error).__name__}: {error}")
    os.write(init.report, pickle.dumps(report))
    os._exit(0)
