"""The supervisor: a lean, single-threaded process that forks every run.

Forking from a multi-threaded worker is unsafe, so each `Sandbox` starts one
supervisor (`python -m sandbox.supervisor FD`) and sends it requests over a
socket. What can be done once is done here once: the seccomp filter is
compiled, the cgroup hierarchy found, the mount point prepared.
"""

from __future__ import annotations

import itertools
import os
import pickle
import select
import signal
import socket
import sys
from pathlib import Path

from sandbox import cgroups, idmap, init, libc, monitor, outcome, protocol, rlimits, seccomp_policy
from sandbox.config import SandboxConfig
from sandbox.limits import Limits
from sandbox.program import Program
from sandbox.request import RunRequest, RunResult
from sandbox.status import Status

NAMESPACES = (
    libc.CLONE_NEWUSER
    | libc.CLONE_NEWPID
    | libc.CLONE_NEWNS
    | libc.CLONE_NEWNET
    | libc.CLONE_NEWIPC
    | libc.CLONE_NEWUTS
)
SETUP_TIMEOUT = 10.0  # seconds for an init to build its tree


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
    os.write(fd, source) if len(source) < (1 << 20) else _write_all(fd, source)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _wait_ready(status: int, pidfd: int) -> bool:
    """Whether the init built its tree (False: it died or hung first)."""
    ready, _, _ = select.select([status, pidfd], [], [], SETUP_TIMEOUT)
    return status in ready and os.read(status, 1) == b"r"


def _read_report(fd: int) -> init.Report | None:
    os.lseek(fd, 0, os.SEEK_SET)
    data = b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
    report: init.Report | None = pickle.loads(data) if data else None
    return report


class Supervisor:
    def __init__(self, config: SandboxConfig, client_fd: int) -> None:
        self.config = config
        self.client_fd = client_fd
        self.hierarchy = self._find_hierarchy()
        self.seccomp_bpf = seccomp_policy.compile_bpf()
        self.mount_point = _mount_point()
        self.names = (f"run-{os.getpid()}-{n}" for n in itertools.count())

    def _find_hierarchy(self) -> cgroups.Hierarchy | None:
        try:
            hierarchy = cgroups.find_hierarchy(self.config.cgroup_parent)
        except cgroups.CgroupError as error:
            _log(f"{error}; falling back to rlimits (memory limited by RLIMIT_AS)")
            return None
        if hierarchy is None:
            _log("no usable cgroup hierarchy; memory limited by RLIMIT_AS, CPU time per process")
            return None
        hierarchy.remove_stale("run-", alive=set())
        return hierarchy

    def run(self, request: RunRequest) -> RunResult:
        try:
            return self._run(request)
        except Exception as error:  # a run must never take the supervisor down
            _log(f"run failed: {type(error).__name__}: {error}")
            return RunResult(Status.IE, message=f"sandbox failure: {error}")

    def _run(self, request: RunRequest) -> RunResult:
        limits = request.limits
        cgroup = self.hierarchy.create(next(self.names), limits.memory, limits.processes) if self.hierarchy else None
        stdin = _stdin(request.stdin)
        out_read, out_write = os.pipe2(os.O_CLOEXEC)
        err_read, err_write = os.pipe2(os.O_CLOEXEC)
        control_read, control_write = os.pipe2(os.O_CLOEXEC)
        status_read, status_write = os.pipe2(os.O_CLOEXEC)
        report = os.memfd_create("report")
        run_init = init.Init(
            request=request,
            root=self.mount_point,
            program=Program(
                argv=request.argv,
                env=request.env,
                cwd=request.cwd,
                stdin=stdin,
                stdout=out_write,
                stderr=err_write,
                rlimits=rlimits.rlimits(limits, memory_by_rlimit=cgroup is None),
                seccomp_bpf=self.seccomp_bpf,
            ),
            control=control_read,
            status=status_write,
            report=report,
            supervisor_fds=(out_read, err_read, control_write, status_read, self.client_fd),
        )
        pid = libc.clone(NAMESPACES)
        if pid == 0:
            init.main(run_init)
        for fd in (stdin, out_write, err_write, control_read, status_write):
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        watched = None
        try:
            idmap.write_maps(pid, self.config.host_id)
            os.write(control_write, b"g")
            if _wait_ready(status_read, pidfd):
                if cgroup:
                    cgroup.attach(pid)
                os.write(control_write, b"g")
                watched = monitor.watch(
                    pid, pidfd, out_read, err_read, limits, cgroup.cpu_time if cgroup else None
                )
        finally:
            if watched is None:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            run_report = _read_report(report)
            usage = cgroup.usage() if cgroup else None
            if cgroup:
                cgroup.remove()
            for fd in (pidfd, out_read, err_read, control_write, status_read, report):
                os.close(fd)
        return _result(limits, run_report, watched, usage)


def _result(
    limits: Limits, report: init.Report | None, watched: monitor.Watch | None, usage: cgroups.Usage | None
) -> RunResult:
    if watched is None or (watched.killed_for is None and (report is None or report.error)):
        return RunResult(Status.IE, message=report.error if report and report.error else "the run's init died")
    exit_status = None if watched.killed_for or report is None else report.exit_status
    cpu_time = usage.cpu_time if usage else (report.cpu_time if report else 0.0)
    status, message = outcome.decide(
        limits,
        exit_status,
        watched.killed_for,
        cpu_time,
        usage.oom_kills if usage else 0,
        usage.memory_limit_hit if usage else False,
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
        supervisor = Supervisor(config, sock.fileno())
        while (request := protocol.receive(sock)) is not None:
            protocol.send(sock, supervisor.run(request))


if __name__ == "__main__":
    main()
