"""From what happened in a run to its status and a message that explains it."""

from __future__ import annotations

import os
import signal

from sandbox.limits import Limits
from sandbox.status import Status


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def decide(
    limits: Limits,
    exit_status: int | None,
    killed_for: tuple[Status, str] | None,
    cpu_time: float,
    oom_kills: int,
    memory_limit_hit: bool,
    file_size_reached: bool = False,
) -> tuple[Status, str]:
    """The run's status, most telling limit first.

    An OOM kill comes first: a run that ran out of memory, then hung or spun
    because a process of it was killed, was stopped by its memory.
    """
    mib = limits.memory // 2**20
    if oom_kills:
        return Status.MLE, f"memory limit of {mib} MiB exceeded (killed)"
    if killed_for:
        return killed_for
    if cpu_time >= limits.cpu_time:
        return Status.TLE, f"CPU time limit of {limits.cpu_time:g} s exceeded"
    if exit_status is None:
        return Status.IE, "the program's exit status is unknown"
    if os.WIFSIGNALED(exit_status):
        number = os.WTERMSIG(exit_status)
        if number == signal.SIGXFSZ:
            return Status.OLE, f"file size limit of {limits.file_size} bytes exceeded"
        if number == signal.SIGXCPU:
            return Status.TLE, f"CPU time limit of {limits.cpu_time:g} s exceeded"
        if memory_limit_hit:
            return Status.MLE, f"memory limit of {mib} MiB exceeded"
        if file_size_reached:
            return Status.OLE, f"file size limit of {limits.file_size} bytes exceeded"
        if number == signal.SIGSYS:
            return Status.RE, "killed by SIGSYS: a forbidden system call"
        return Status.RE, f"killed by {signal_name(number)}"
    code = os.WEXITSTATUS(exit_status)
    if code == 0:
        return Status.OK, ""
    if memory_limit_hit:
        return Status.MLE, f"memory limit of {mib} MiB exceeded (an allocation failed)"
    if file_size_reached:
        return Status.OLE, f"file size limit of {limits.file_size} bytes exceeded"
    return Status.RE, f"exit code {code}"
