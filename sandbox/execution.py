"""The runs of one sandbox, one after another, as its init carries them out.

For each request the init writes the workspace files, lowers the rlimits
(its own before a posix_spawn, or the warm process's), starts the program
(posix_spawn, a zygote or the fork server), reaps every process until the
program exits, kills and reaps every other process of the run (the fork
server aside), collects the files asked for and reports. Between runs it
cleans the workspace, /tmp and IPC (sandbox/workspace.py) and checks that
nothing of the sandbox that outlives a run was changed by it
(sandbox/integrity.py); when something was, the sandbox retires: the init
exits and the supervisor takes another one for the next run.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sandbox import integrity, program, protocol, rlimits, rootfs, workspace
from sandbox.messages import Kill
from sandbox.reaper import Exited, Reaper
from sandbox.request import WORKSPACE, RunRequest

STREAMS = (0, 1, 2)


class Retire(Exception):
    """This sandbox must not run anything more."""


class Warm(Protocol):
    """A zygote or a fork server, as the init drives it."""

    what: str

    @property
    def pid(self) -> int | None: ...
    def limit(self, values: dict[int, tuple[int, int]]) -> None: ...
    def launch(self, run: program.Command) -> int | None: ...
    def channel(self) -> socket.socket | None: ...
    def answer(self) -> int | None: ...
    def reaped(self, pid: int) -> None: ...
    def refresh(self) -> None: ...
    def close(self) -> None: ...


@dataclass
class Report:
    exit_status: int | None = None  # as from waitpid
    wall_time: float = 0.0
    cpu_time: float = 0.0  # of the program and the children it waited for
    max_rss: int = 0  # bytes
    file_size_reached: bool = False  # the run wrote a file up to the file-size limit
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""  # the sandbox failed: why


@dataclass
class Ending:
    """How the program of a run ended: its wait status, unless the run was killed first."""

    status: int | None = None
    usage: Any = None
    killed: bool = False


def _first_for_the_oom_killer(pid: int) -> None:
    """Make the program, not us, the memory cgroup's OOM victim; its children inherit it.

    We are a fork of the supervisor, larger than many programs, and the OOM
    killer takes the largest process unless told otherwise. A program that
    made itself undumpable keeps its /proc files from us: then the
    supervisor's `oom_kill` count still tells MLE.
    """
    with contextlib.suppress(OSError), open(f"/proc/{pid}/oom_score_adj", "w") as oom:
        oom.write("1000")


def _wrote_up_to(limit: int, written: set[tuple[int, int]]) -> bool:
    """Whether the run itself wrote a file of /box or /tmp up to the file-size limit.

    A program may ignore SIGXFSZ (CPython does): its write then fails with
    EFBIG, and its failure is still the file-size limit's doing. Only the
    sandbox's own tmpfs count (never a bind mount in them, never the
    request's files as written).
    """
    for top in workspace.TREES:
        device = os.lstat(top).st_dev
        for directory, names, files in os.walk(top):  # never into a symlink
            for name in [*names, *files]:
                with contextlib.suppress(OSError):
                    info = os.lstat(os.path.join(directory, name))
                    if info.st_dev != device:
                        if name in names:
                            names.remove(name)  # a bind mount: not the run's
                        continue
                    own = (info.st_ino, info.st_size) in written
                    if stat.S_ISREG(info.st_mode) and info.st_size >= limit and not own:
                        return True
    return False


def _collect(names: Sequence[str], max_size: int) -> dict[str, bytes]:
    """Regular files of the workspace, never through a symlink, a FIFO or a folder."""
    files = {}
    for name in names:
        try:
            path = os.path.join(WORKSPACE, name)
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
            os.close(fd)  # before fdopen: a folder cannot be opened as a file object
            continue
        with os.fdopen(fd, "rb") as file:
            files[name] = file.read(max_size)
    return files


class Executor:
    """Runs the requests of one sandbox, one after another, inside it."""

    def __init__(
        self,
        control: socket.socket,
        warm: Warm | None,
        rlimits_only: bool,
        ipc_tables: Mapping[str, int],
    ) -> None:
        self.control = control
        self.warm = warm
        self.rlimits_only = rlimits_only
        self.ipc_tables = ipc_tables
        self.reaper = Reaper()
        self.modes = workspace.modes()
        self.limits: dict[int, tuple[int, int]] | None = None  # lowered to, so far
        self.expected: integrity.Attributes | None = None  # ours, once lowered
        self.null = os.open("/dev/null", os.O_RDWR | os.O_CLOEXEC)
        self.quiet_streams()

    def quiet_streams(self) -> None:
        """/dev/null on our fds 0 to 2 between runs: they are never free for another fd."""
        for target in STREAMS:
            os.dup2(self.null, target)

    def run(self, request: RunRequest, streams: Sequence[int]) -> Report:
        written = rootfs.write_files(dict(request.files), request.executables)
        command = program.Command(
            argv=request.argv,
            env=request.env,
            cwd=request.cwd,
            rlimits=rlimits.rlimits(request.limits, self.rlimits_only),
        )
        self.limit(command.rlimits)
        for source, target in zip(streams, STREAMS, strict=True):
            os.dup2(source, target)  # below any RLIMIT_NOFILE: posix_spawn wants them there
            os.close(source)
        started = time.monotonic()
        try:
            pid = program.spawn(command) if self.warm is None else self.warm.launch(command)
        except OSError as error:
            self.reaper.kill_everyone(self.note)
            return Report(error=f"cannot execute {request.argv[0]}: {error.strerror}")
        finally:
            self.quiet_streams()  # the program's only: its output ends when it does
        if pid is not None:
            _first_for_the_oom_killer(pid)
        ending = self.wait(pid)
        wall_time = time.monotonic() - started
        self.end_the_rest(ending.killed)
        status = ending.status
        failed = status is not None and (not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0)
        usage = ending.usage
        return Report(
            exit_status=status,
            wall_time=wall_time,
            cpu_time=usage.ru_utime + usage.ru_stime if usage else 0.0,
            max_rss=usage.ru_maxrss * 1024 if usage else 0,
            file_size_reached=failed and _wrote_up_to(request.limits.file_size, written),
            files=_collect(request.collect, request.limits.file_size),
        )

    def limit(self, values: dict[int, tuple[int, int]]) -> None:
        """Lower the rlimits of what starts the program (they are never raised again)."""
        if values == self.limits:
            return
        self.limits = values
        if self.warm is None:
            rlimits.apply(values)  # posix_spawn's program inherits ours
            self.expected = integrity.Attributes.of()
        else:
            self.warm.limit(values)

    def note(self, exited: Exited) -> None:
        if self.warm is not None:
            self.warm.reaped(exited.pid)

    def wait(self, pid: int | None) -> Ending:
        """Reap until the program `pid` exits (None: the fork server tells it); obey Kill."""
        exited: dict[int, Exited] = {}
        ending = Ending()
        while True:
            for child in self.reaper.reap():
                self.note(child)
                exited[child.pid] = child
            if pid is not None and pid in exited:
                ending.status, ending.usage = exited[pid].status, exited[pid].usage
                return ending
            if ending.killed:
                return ending
            watched = [self.control.fileno()]
            channel = self.warm.channel() if pid is None and self.warm is not None else None
            if channel is not None:
                watched.append(channel.fileno())
            for fd in self.reaper.wait(watched, None):
                if fd == self.control.fileno():
                    ending.killed = self.obey()
                else:
                    pid = self.answered()

    def answered(self) -> int | None:
        """The program's pid, once the fork server told it."""
        assert self.warm is not None
        pid = self.warm.answer()
        if pid is not None:
            _first_for_the_oom_killer(pid)
        return pid

    def obey(self) -> bool:
        """Read the supervisor's message during a run: Kill ends it at once."""
        message, fds = protocol.receive_with_fds(self.control)
        for fd in fds:
            os.close(fd)
        if message is None or isinstance(message, Kill):
            self.reaper.kill_everyone(self.note)
            if message is None:  # the supervisor died: so do we
                os._exit(0)
            return True
        return False

    def end_the_rest(self, killed: bool) -> None:
        """Kill and reap every other process of the run: none outlives the report."""
        keep = None if killed or self.warm is None else self.warm.pid
        if keep is None:
            self.reaper.kill_everyone(self.note)
        else:
            self.reaper.kill_all_but(keep, self.note)

    def clean(self) -> None:
        """Make the sandbox as it was before the first run; raises Retire if it cannot."""
        try:
            workspace.clean(self.modes, self.ipc_tables)
        except (OSError, RecursionError) as error:  # say, directories nested deeper than us
            raise Retire(f"cannot clean the workspace: {error}") from error
        if not integrity.unchanged(self.expected):
            raise Retire("a run changed the init's attributes")
        if self.limits is not None and self.warm is None:
            cpu = os.times()
            if rlimits.worn(self.limits, cpu.user + cpu.system):
                raise Retire("the init is near its own CPU time limit")
        if self.warm is not None:
            self.warm.refresh()
