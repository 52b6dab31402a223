"""The supervisor: a lean, single-threaded process that forks every run.

Forking from a multi-threaded worker is unsafe, so each `Sandbox` starts one
supervisor (`python -m sandbox.supervisor FD`) and sends it requests over a
socket. What can be done once is done here once (the seccomp filter
compiled, the cgroup hierarchy found), and what can be done ahead is done
ahead: spare inits wait, prepared, for the requests of the last shape.
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import signal
import socket
import sys
from collections import OrderedDict
from pathlib import Path

from sandbox import cgroups, idmap, init, monitor, outcome, protocol, seccomp_policy
from sandbox.cleaner import Cleaner
from sandbox.config import SandboxConfig
from sandbox.limits import Limits
from sandbox.request import RunRequest, RunResult
from sandbox.spare import Spare
from sandbox.status import Status

SETUP_TIMEOUT = 10.0  # seconds for an init to build its tree
MAX_SPARES = 8  # in all: a submission alternates compiles, tests and checks


def _log(message: str) -> None:
    print(f"sandbox supervisor {os.getpid()}: {message}", file=sys.stderr, flush=True)


def _mount_point() -> str:
    """An empty directory each run mounts its root on, in its own namespace."""
    base = Path("/run") if os.geteuid() == 0 else Path(os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    path = base / f"judge-sandbox-{os.geteuid()}"
    path.mkdir(mode=0o755, exist_ok=True)
    return str(path)


def _stdin(source: bytes | Path) -> int:
    if isinstance(source, Path):
        return os.open(source, os.O_RDONLY | os.O_CLOEXEC)
    fd = os.memfd_create("stdin")
    view = memoryview(source)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _wait_prepared(status: int, report: int) -> bool:
    """Whether the init is prepared (False: it failed, died or hung first)."""
    ready, _, _ = select.select([status, report], [], [], SETUP_TIMEOUT)
    return status in ready and os.read(status, 1) == b"p"


def _pending(sock: socket.socket) -> bool:
    """Whether a request is waiting to be read."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _read_all(fd: int) -> bytes:
    return b"".join(iter(lambda: os.read(fd, 1 << 16), b""))


def _report(data: bytes) -> init.Report | None:
    """The init's report; None if it died before writing all of it (killed)."""
    try:
        report: init.Report = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError):
        return None
    return report


class Supervisor:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.hierarchy = self._find_hierarchy()
        self.blueprint = init.Init(
            shape=init.Shape((), 0),
            root=_mount_point(),
            seccomp_bpf=seccomp_policy.compile_bpf(),
            rlimits_only=self.hierarchy is None,
            init_id=idmap.init_id(),
            cgroup_procs=(),
            idle_until_taken=os.geteuid() == 0,  # only root may give SCHED_OTHER back
            control=-1,
            status=-1,
            report=-1,
            stdout=-1,
            stderr=-1,
        )
        self.names = (f"run-{os.getpid()}-{n}" for n in itertools.count())
        self.spares: OrderedDict[init.Shape, list[Spare]] = OrderedDict()  # least recent first
        self.recent: init.Shape | None = None  # the shape to keep spares of
        self.exiting: list[int] = []  # inits whose runs ended, not reaped yet
        self.cleaner = Cleaner() if self.hierarchy else None  # forked while we are lean

    def _find_hierarchy(self) -> cgroups.Hierarchy | None:
        try:
            hierarchy = cgroups.find_hierarchy(self.config.cgroup_parent)
        except cgroups.CgroupError as error:
            _log(f"{error}; falling back to rlimits (memory limited by RLIMIT_AS)")
            return None
        if hierarchy is None:
            _log("no usable cgroup hierarchy; memory limited by RLIMIT_AS, CPU time per process")
            return None
        hierarchy.remove_stale()
        return hierarchy

    def _take_spare(self, shape: init.Shape) -> Spare:
        ready = self.spares.pop(shape, [])
        self.spares[shape] = ready  # now the most recent shape
        spare = ready.pop(0) if ready else None
        if spare is not None and not spare.fits(shape):  # a bind source changed
            for stale in (spare, *ready):
                self._discard(stale)
            ready.clear()
            spare = None
        spare = spare or self._start(shape)
        if self.blueprint.idle_until_taken:
            spare.wake()
        return spare

    def _start(self, shape: init.Shape) -> Spare:
        cgroup = self.hierarchy.create(next(self.names)) if self.hierarchy else None
        try:
            return Spare.start(shape, self.blueprint, self.config.host_id, cgroup)
        except BaseException:
            self._remove(cgroup)
            raise

    def _remove(self, cgroup: cgroups.RunCgroup | None) -> None:
        if cgroup and self.cleaner:
            self.cleaner.remove(cgroup.directories())

    def _discard(self, spare: Spare) -> None:
        spare.discard()
        self._remove(spare.cgroup)

    def _replenish(self, shape: init.Shape) -> None:
        """Start one more spare of `shape`; it builds its root while runs go on."""
        try:
            self.spares.setdefault(shape, []).append(self._start(shape))
        except OSError as error:
            _log(f"cannot start a spare init: {error}")
        while sum(map(len, self.spares.values())) > MAX_SPARES:
            oldest = next(ready for ready in self.spares.values() if ready)
            self._discard(oldest.pop(0))

    def wants_spare(self) -> bool:
        """Whether the last request's shape has fewer spares ready than configured."""
        ready = self.spares.get(self.recent, []) if self.recent else []
        return self.recent is not None and len(ready) < self.config.spares

    def top_up(self) -> None:
        """Start a spare of the last request's shape (when idle)."""
        if self.recent is not None:
            self._replenish(self.recent)

    def close(self) -> None:
        """Discard the spares and wait until their cgroups and the runs' are removed."""
        for ready in self.spares.values():
            for spare in ready:
                self._discard(spare)
        self.spares.clear()
        self.reap_exited(wait=True)
        if self.cleaner:
            self.cleaner.close()

    def run(self, request: RunRequest) -> RunResult:
        try:
            return self._run(request)
        except Exception as error:  # a run must never take the supervisor down
            _log(f"run failed: {type(error).__name__}: {error}")
            return RunResult(Status.IE, message=f"sandbox failure: {error}")

    def _run(self, request: RunRequest) -> RunResult:
        limits = request.limits
        self.reap_exited()
        self.recent = shape = init.Shape.of(request)
        spare = self._take_spare(shape)
        cgroup = spare.cgroup
        watched: monitor.Watch | None = None
        report: init.Report | None = None
        try:
            if _wait_prepared(spare.status, spare.report):
                if cgroup:
                    cgroup.start(limits.memory, limits.processes)
                if self.blueprint.idle_until_taken:
                    for pid in spare.children():  # its zygote
                        os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))
                stdin = _stdin(request.stdin)
                try:
                    protocol.send_with_fd(spare.control, request, stdin)
                finally:
                    os.close(stdin)
                cpu_time = cgroup.cpu_time if cgroup else None
                watched = monitor.watch(
                    spare.pid,
                    spare.report,
                    spare.stdout,
                    spare.stderr,
                    limits,
                    cpu_time,
                    meanwhile=lambda: self._replenish(shape),
                )
                report = _report(bytes(watched.report))
        finally:
            if watched is None:
                os.kill(spare.pid, signal.SIGKILL)
                report = _report(_read_all(spare.report))
            if watched is None or watched.killed_for or report is None or report.error:
                os.waitpid(spare.pid, 0)  # the kernel empties its pid namespace first
            else:  # it ended the run itself and is exiting: reaped later
                self.exiting.append(spare.pid)
            if watched is not None:
                monitor.drain(watched, spare.stdout, spare.stderr)
            usage = cgroup.usage() if cgroup else None
            spare.close()
            self._remove(cgroup)  # empty now; removed in the background
        return _result(limits, report, watched, usage)

    def reap_exited(self, wait: bool = False) -> None:
        """Reap the inits that ended their runs (all of them, if `wait`)."""
        for pid in list(self.exiting):
            if os.waitpid(pid, 0 if wait else os.WNOHANG) != (0, 0):
                self.exiting.remove(pid)


def _result(
    limits: Limits,
    report: init.Report | None,
    watched: monitor.Watch | None,
    usage: cgroups.Usage | None,
) -> RunResult:
    if watched is None or (watched.killed_for is None and (report is None or report.error)):
        if usage and usage.oom_kills and not (report and report.error):
            # The OOM killer took the init: the run ran out of memory all the same.
            mib = limits.memory // 2**20
            return RunResult(
                Status.MLE,
                cpu_time=usage.cpu_time,
                memory=usage.memory_peak,
                message=f"memory limit of {mib} MiB exceeded (killed)",
            )
        why = report.error if report and report.error else "the run's init died"
        return RunResult(Status.IE, message=why)
    exit_status = None if watched.killed_for or report is None else report.exit_status
    cpu_time = usage.cpu_time if usage else (report.cpu_time if report else 0.0)
    status, message = outcome.decide(
        limits,
        exit_status,
        watched.killed_for,
        cpu_time,
        usage.oom_kills if usage else 0,
        usage.memory_limit_hit if usage else False,
        report.file_size_reached if report else False,
    )
    exited = exit_status is not None and os.WIFEXITED(exit_status)
    return RunResult(
        status=status,
        exit_code=os.WEXITSTATUS(exit_status) if exit_status is not None and exited else None,
        signal=os.WTERMSIG(exit_status) if exit_status is not None and not exited else None,
        cpu_time=cpu_time,
        wall_time=report.wall_time if report and exit_status is not None else watched.wall_time,
        memory=usage.memory_peak if usage else (report.max_rss if report else 0),
        stdout=bytes(watched.stdout.data),
        stderr=bytes(watched.stderr.data),
        stdout_truncated=watched.stdout.truncated,
        stderr_truncated=watched.stderr.truncated,
        files=report.files if report and exit_status is not None else {},
        message=message,
    )


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client decides when we stop
    with socket.socket(fileno=int(sys.argv[1])) as sock:
        config = protocol.receive(sock)
        if config is None:
            return
        supervisor = Supervisor(config)
        while True:
            while supervisor.wants_spare() and not _pending(sock):
                supervisor.top_up()  # idle: prepare for the next request
            request = protocol.receive(sock)
            if request is None:
                break
            protocol.send(sock, supervisor.run(request))
        supervisor.close()


if __name__ == "__main__":
    main()
