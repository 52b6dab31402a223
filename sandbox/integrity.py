"""What a run can change about the processes that outlive it, and checking it did not.

A sandbox's init and fork server outlive each run of a session and share
the runs' uid, so a run may change a few of their attributes through system
calls that a same-uid process may make on another: rlimits (prlimit),
niceness (setpriority), scheduling policy and priority, CPU affinity. Their
memory and descriptors stay out of reach (they are not dumpable; ptrace,
process_vm_* and pidfd_getfd are forbidden) and the init ignores signals it
has no handler for. The init compares these attributes after every run with
what they were before the first; a difference ends the session (or replaces
the fork server), so that it cannot reach the next run.
"""

from __future__ import annotations

import os
import resource
import signal
from dataclasses import dataclass
from pathlib import Path

RESOURCES = tuple(getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_"))


@dataclass(frozen=True)
class Attributes:
    limits: tuple[tuple[int, int], ...]
    nice: int
    policy: int
    priority: int
    cpus: frozenset[int]

    @classmethod
    def of(cls, pid: int = 0) -> Attributes:
        """The attributes of process `pid` (0: this one). Raises OSError if it is gone."""
        return cls(
            limits=tuple(resource.prlimit(pid, which) for which in sorted(RESOURCES)),
            nice=os.getpriority(os.PRIO_PROCESS, pid),
            policy=os.sched_getscheduler(pid),
            priority=os.sched_getparam(pid).sched_priority,
            cpus=frozenset(os.sched_getaffinity(pid)),
        )


def unchanged(expected: Attributes | None, pid: int = 0) -> bool:
    """Whether process `pid` still has the attributes `expected` (None: never taken)."""
    if expected is None:
        return True
    try:
        return Attributes.of(pid) == expected
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    """CPU time process `pid` has used itself (its /proc stat's utime and stime)."""
    with open(f"/proc/{pid}/stat", "rb") as file:
        fields = file.read().rpartition(b")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def doomed(pid: int) -> bool:
    """Whether process `pid` is dead, or will be as soon as it runs (SIGKILL pending).

    A run that killed the process leaves the signal pending until the
    kernel schedules its victim: the run is over, the victim may not be.
    """
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    if fields["State"].split()[0] in ("Z", "X"):
        return True
    pending = int(fields["ShdPnd"], 16) | int(fields["SigPnd"], 16)
    return bool(pending & (1 << (signal.SIGKILL - 1)))
