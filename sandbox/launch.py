"""Carrying out runs on prepared sandboxes, from the supervisor: start, watch, answer.

Each run gets pipes of its own for stdout and stderr (or, for runs
connected to each other, pipes between them), sent to the init with the
request. The cgroup's counters restart as the request leaves, and are read
once the init's report is in: every process of the run is dead by then.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import signal
from dataclasses import dataclass
from pathlib import Path

from sandbox import cgroups, monitor, outcome, protocol
from sandbox.execution import Report
from sandbox.limits import Limits
from sandbox.messages import Kill, Run
from sandbox.request import RunRequest, RunResult
from sandbox.spare import Spare
from sandbox.status import Status


def _stdin(source: bytes | Path) -> int:
    if isinstance(source, Path):
        return os.open(source, os.O_RDONLY | os.O_CLOEXEC)
    fd = os.memfd_create("stdin")
    view = memoryview(source)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _pipe() -> tuple[int, int]:
    """A pipe whose read end does not block (it is drained once its writers are dead)."""
    read, write = os.pipe2(os.O_CLOEXEC)
    os.set_blocking(read, False)
    return read, write


@dataclass
class Plumbing:
    """A run's streams: the ends its init gets, and the ones this process reads."""

    stdin: int
    stdout: int
    stderr: int
    stdout_read: int | None  # None: its stdout goes to another run
    stderr_read: int

    @classmethod
    def of(cls, request: RunRequest) -> Plumbing:
        out_read, out_write = _pipe()
        err_read, err_write = _pipe()
        return cls(_stdin(request.stdin), out_write, err_write, out_read, err_read)

    @classmethod
    def together(cls) -> tuple[Plumbing, Plumbing]:
        """Two runs, each one's stdout the other one's stdin."""
        first_to_second, second_to_first = os.pipe2(os.O_CLOEXEC), os.pipe2(os.O_CLOEXEC)
        first_err, second_err = _pipe(), _pipe()
        first = cls(second_to_first[0], first_to_second[1], first_err[1], None, first_err[0])
        second = cls(first_to_second[0], second_to_first[1], second_err[1], None, second_err[0])
        return first, second

    def given(self) -> tuple[int, int, int]:
        return self.stdin, self.stdout, self.stderr

    def close_given(self) -> None:
        for fd in self.given():
            os.close(fd)

    def close(self) -> None:
        for fd in (self.stdout_read, self.stderr_read):
            if fd is not None:
                os.close(fd)


def _ask_kill(spare: Spare) -> None:
    try:
        spare.send(Kill())
    except OSError:  # the init is gone or stuck: the kernel empties its namespace
        os.kill(spare.pid, signal.SIGKILL)


@dataclass
class Launch:
    spare: Spare
    request: RunRequest
    plumbing: Plumbing
    watch: monitor.Watch | None = None

    def begin(self, last: bool) -> monitor.Watch:
        """Send the request to the prepared init; `last`: it then exits."""
        spare, limits = self.spare, self.request.limits
        if spare.cgroup:
            spare.cgroup.start(limits.memory, limits.processes)
        slim = dataclasses.replace(self.request, binds=())  # the sandbox is built already
        try:
            spare.send(Run(slim, last), self.plumbing.given())
        finally:
            self.plumbing.close_given()
        outputs = {}
        stdout, stderr = monitor.Stream(limits.output_kept), monitor.Stream(limits.output_kept)
        if self.plumbing.stdout_read is not None:
            outputs[self.plumbing.stdout_read] = stdout
        outputs[self.plumbing.stderr_read] = stderr
        self.watch = monitor.Watch(
            limits=limits,
            report_fd=spare.report,
            output_fds=outputs,
            stdout=stdout,
            stderr=stderr,
            kill_init=lambda: _ask_kill(spare),
            force=lambda: os.kill(spare.pid, signal.SIGKILL),
            cpu_time=spare.cgroup.cpu_time if spare.cgroup else None,
        )
        return self.watch

    def report(self) -> Report | None:
        """The init's report; None if it died (or was killed) before it was all written."""
        assert self.watch is not None
        if self.watch.forced:
            return None
        size = protocol.framed_size(self.watch.report)
        if size is None or len(self.watch.report) < size:
            return None
        report: Report = protocol.unframe(self.watch.report)
        return report

    def conclude(self) -> tuple[RunResult, Report | None, bool]:
        """The run's result, its report, and whether its init died with it."""
        watched = self.watch
        assert watched is not None
        report = self.report()
        dead = report is None
        if dead:
            os.waitpid(self.spare.pid, 0)  # the kernel empties its pid namespace first
        watched.drain()
        self.plumbing.close()
        cgroup = self.spare.cgroup
        usage = cgroup.usage() if cgroup else None
        return result(self.request.limits, report, watched, usage), report, dead


def failed_setup(spare: Spare) -> RunResult:
    """The result of a run whose sandbox could not be prepared (its init is killed)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(spare.pid, signal.SIGKILL)
    data = b"".join(iter(lambda: os.read(spare.report, 1 << 16), b""))
    os.waitpid(spare.pid, 0)
    report = None
    with contextlib.suppress(pickle.UnpicklingError, EOFError, ValueError, IndexError):
        size = protocol.framed_size(data)
        report = protocol.unframe(data) if size is not None and len(data) >= size else None
    why = report.error if isinstance(report, Report) and report.error else "the run's init died"
    return RunResult(Status.IE, message=why)


def result(
    limits: Limits,
    report: Report | None,
    watched: monitor.Watch,
    usage: cgroups.Usage | None,
) -> RunResult:
    if watched.killed_for is None and (report is None or report.error):
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
