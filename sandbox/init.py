"""The run's init: pid 1 of its namespaces, between the supervisor and the program.

Cloned by the supervisor into fresh namespaces ahead of its request, it
joins the run's cgroup, builds the read-only root, takes on the program's
restrictions (and starts a zygote, for a warm start), says it is prepared and
waits. Given the request, it writes the workspace files, sets the request's
rlimits, starts the program and reaps every process until the program exits.
Then it kills and reaps every other process of the run, collects the files
asked for and writes its report: nothing of the run survives it. If it is
killed instead, the kernel kills whatever is left in its pid namespace.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import socket
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import prctl

from sandbox import kernfs, libc, program, protocol, rlimits, rootfs, zygote
from sandbox.request import WORKSPACE, Bind, RunRequest


@dataclass(frozen=True)
class Shape:
    """What a root is built from: the runs with the same shape can share a spare init."""

    binds: tuple[Bind, ...]
    workspace: int  # bytes, each of /box and /tmp
    zygote: tuple[str, ...] = ()  # the warm program to start ahead, if any...
    env: tuple[tuple[str, str], ...] = ()  # ...and its environment

    @classmethod
    def of(cls, request: RunRequest) -> Shape:
        zygote = tuple(request.zygote)
        env = tuple(sorted(request.env.items())) if zygote else ()
        return cls(tuple(request.binds), request.limits.workspace, zygote, env)


@dataclass(frozen=True)
class Init:
    """What an init knows from birth: everything but its request."""

    shape: Shape
    root: str  # where to build the root before pivoting into it
    seccomp_bpf: bytes
    rlimits_only: bool  # no cgroup: memory and CPU time limited by rlimits alone
    init_id: int  # our uid and gid inside, once the maps are written
    cgroup_procs: tuple[str, ...]  # the run's cgroup: we join it at birth
    idle_until_taken: bool  # build at SCHED_IDLE: the supervisor restores us when it takes us
    control: int  # socket: the go-ahead once our maps are written, then the request
    status: int  # write: b"p" once prepared: the run's limits may be set
    report: int  # write: the pickled Report
    stdout: int  # write ends of the program's output pipes
    stderr: int

    def close_other_fds(self) -> None:
        """Close what came from the supervisor (its client, other runs' pipes)."""
        keep = sorted({0, 1, 2, self.control, self.status, self.report, self.stdout, self.stderr})
        for low, high in zip(keep, [*keep[1:], 1 << 20], strict=True):
            if high > low + 1:
                os.closerange(low + 1, high)


@dataclass
class Report:
    exit_status: int | None = None  # as from waitpid
    wall_time: float = 0.0
    cpu_time: float = 0.0  # of the program and the children it waited for
    max_rss: int = 0  # bytes
    file_size_reached: bool = False  # the program failed with a file at the size limit
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""  # the sandbox failed: why


def _await_go(control: socket.socket) -> None:
    if control.recv(1) != b"g":
        raise RuntimeError("the supervisor went away")


def _reap_until(pid: int) -> tuple[int, Any]:
    """Reap every child (orphans included) until `pid` exits."""
    while True:
        child, status, usage = os.wait4(-1, 0)
        if child == pid:
            return status, usage


def _end_the_rest() -> None:
    """Kill and reap every other process of the run: none outlives our report."""
    with contextlib.suppress(ProcessLookupError):  # nobody left
        os.kill(-1, signal.SIGKILL)  # everyone in this pid namespace but us
    with contextlib.suppress(ChildProcessError):
        while True:
            os.wait4(-1, 0)


def _collect(names: Sequence[str], max_size: int) -> dict[str, bytes]:
    """Regular files of the workspace, never through a symlink, a FIFO or a folder."""
    files = {}
    for name in names:
        try:
            fd = os.open(os.path.join(WORKSPACE, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
            os.close(fd)  # before fdopen: a folder cannot be opened as a file object
            continue
        with os.fdopen(fd, "rb") as file:
            files[name] = file.read(max_size)
    return files


def _die_with_supervisor(control: socket.socket) -> None:
    """Be killed when the supervisor dies; any change of our ids clears this."""
    prctl.set_pdeathsig(signal.SIGKILL)
    try:
        gone = control.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        gone = False
    if gone:  # it died before we asked
        raise RuntimeError("the supervisor went away")


def _first_for_the_oom_killer(pid: int) -> None:
    """Make the program, not us, the memory cgroup's OOM victim; its children inherit it.

    We are a fork of the supervisor, larger than many programs, and the OOM
    killer takes the largest process unless told otherwise. A program that
    made itself undumpable keeps its /proc files from us: then the
    supervisor's `oom_kill` count still tells MLE.
    """
    with contextlib.suppress(OSError), open(f"/proc/{pid}/oom_score_adj", "w") as oom:
        oom.write("1000")


def _reached_file_size(limit: int) -> bool:
    """Whether a file of the writable trees reached the file-size limit.

    A program may ignore SIGXFSZ (CPython does): its write then fails with
    EFBIG, and its failure is still the file-size limit's doing.
    """
    for top in (WORKSPACE, "/tmp"):
        for directory, _, names in os.walk(top):  # never into a symlink
            for name in names:
                with contextlib.suppress(OSError):
                    info = os.lstat(os.path.join(directory, name))
                    if stat.S_ISREG(info.st_mode) and info.st_size >= limit:
                        return True
    return False


def _prepare(init: Init, control: socket.socket) -> zygote.Zygote | None:
    """Everything the request does not change: the tree, our identity, the zygote."""
    if init.idle_until_taken:  # never slow down the runs going on
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    for procs in init.cgroup_procs:  # as the host's root still: the run's group is ours
        kernfs.write(procs, "0")
    gc.disable()  # a collection would touch, so copy, every page we share with the supervisor
    init.close_other_fds()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # pid 1: default means ignored
    _die_with_supervisor(control)
    # Opened while we still have the supervisor's host uid: a bind source may
    # sit under a directory (a 0700 /root) that our mapped uid cannot search.
    binds = rootfs.open_binds(init.shape.binds)
    _await_go(control)  # our id maps are written: become their init id
    prctl.set_dumpable(False)  # only now: an unprivileged supervisor writes our maps as our owner
    os.setresgid(init.init_id, init.init_id, init.init_id)
    os.setresuid(init.init_id, init.init_id, init.init_id)
    _die_with_supervisor(control)  # again: changing ids cleared it
    rootfs.build(init.root, binds, init.shape.workspace)
    libc.sethostname("judge")
    libc.unshare(libc.CLONE_NEWCGROUP)  # rooted at the run's group, where we are
    # Now the program's user for good: reaping, killing the run's processes,
    # writing and reading /box need nothing more, and the zygote and the
    # program inherit it all. Only the request's rlimits are left to set.
    program.drop_privileges(init.seccomp_bpf)
    _die_with_supervisor(control)  # again: changing ids cleared it
    if not init.shape.zygote:
        return None
    return zygote.start(init.shape.zygote, dict(init.shape.env))


def _run(init: Init) -> Report:
    control = socket.socket(fileno=init.control)
    warm = _prepare(init, control)
    os.write(init.status, b"p")
    request, stdin = protocol.receive_with_fd(control)  # the run begins
    rootfs.write_files(dict(request.files), request.executables)
    # On 0-2, below any RLIMIT_NOFILE (glibc's posix_spawn rejects higher ones).
    for source, target in ((stdin, 0), (init.stdout, 1), (init.stderr, 2)):
        os.dup2(source, target)
        os.close(source)
    run = program.Command(
        argv=request.argv,
        env=request.env,
        cwd=request.cwd,
        rlimits=rlimits.rlimits(request.limits, init.rlimits_only),
    )
    rlimits.apply(run.rlimits)
    if warm is not None:
        rlimits.apply(run.rlimits, warm.pid)
    started = time.monotonic()
    try:
        if warm is None:
            pid = program.spawn(run)
        else:
            pid = warm.pid
            zygote.hand_over(warm, run)
    except OSError as error:
        return Report(error=f"cannot execute {request.argv[0]}: {error.strerror}")
    _first_for_the_oom_killer(pid)
    for fd in (0, 1, 2):  # the program's only: its output ends when it does
        os.close(fd)
    status, usage = _reap_until(pid)
    wall_time = time.monotonic() - started
    _end_the_rest()
    failed = not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0
    return Report(
        exit_status=status,
        wall_time=wall_time,
        cpu_time=usage.ru_utime + usage.ru_stime,
        max_rss=usage.ru_maxrss * 1024,
        file_size_reached=failed and _reached_file_size(request.limits.file_size),
        files=_collect(request.collect, request.limits.file_size),
    )


def main(init: Init) -> NoReturn:
    """The whole life of the run's init (never returns)."""
    try:
        report = _run(init)
    except BaseException as error:
        report = Report(error=f"sandbox setup failed: {type(error).__name__}: {error}")
    data = memoryview(pickle.dumps(report))
    try:
        while data:
            data = data[os.write(init.report, data) :]
    finally:
        os._exit(0)
