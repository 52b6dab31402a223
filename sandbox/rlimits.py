"""Per-process limits (setrlimit), set on what starts a run's program, which inherits them.

The init lowers its own before a posix_spawn, or its warm process's (a
zygote, a fork server); they are never raised again, so a sandbox serves
only runs whose rlimits are at most those of the runs before.

They back up the cgroup limits and cover what cgroups do not: file size,
open files, stack, core dumps. RLIMIT_NPROC counts per user namespace, so it
caps the processes of one run even without a pids cgroup. RLIMIT_AS limits
memory only when no memory cgroup is available (it counts reserved, not
used, memory, so it is a cruder limit).
"""

from __future__ import annotations

import math
import resource

from sandbox.limits import Limits

UNLIMITED = resource.RLIM_INFINITY


def rlimits(limits: Limits, rlimits_only: bool) -> dict[int, tuple[int, int]]:
    """The (soft, hard) rlimits of a run, by resource.

    `rlimits_only`: no cgroup enforces memory and watches the CPU time.
    """
    # With a cgroup the supervisor enforces the exact CPU limit of the whole
    # run, and this only catches a process it would miss.
    cpu = math.ceil(limits.cpu_time) + (0 if rlimits_only else 1)
    values = {
        resource.RLIMIT_CPU: (cpu, cpu + 1),
        resource.RLIMIT_FSIZE: (limits.file_size, limits.file_size),
        resource.RLIMIT_NOFILE: (limits.open_files, limits.open_files),
        resource.RLIMIT_STACK: (limits.stack, limits.stack),
        resource.RLIMIT_CORE: (0, 0),
        resource.RLIMIT_NPROC: (limits.processes, limits.processes),
        resource.RLIMIT_MEMLOCK: (64 * 1024, 64 * 1024),
        resource.RLIMIT_MSGQUEUE: (0, 0),
    }
    if rlimits_only:
        values[resource.RLIMIT_AS] = (limits.memory, limits.memory)
    return values


def worn(values: dict[int, tuple[int, int]], cpu_seconds: float) -> bool:
    """Whether a long-lived process of the sandbox used half its CPU rlimit `values` allow.

    An init or a fork server lowered to a run's rlimits must be replaced
    before the kernel kills it for its own CPU time, spent over many runs.
    """
    soft = values.get(resource.RLIMIT_CPU, (UNLIMITED, 0))[0]
    return soft != UNLIMITED and cpu_seconds >= soft / 2


def apply(values: dict[int, tuple[int, int]], pid: int = 0) -> None:
    """Lower each limit of process `pid` (0: this one); one already lower stays so."""
    for which, (soft, hard) in values.items():
        _, current_hard = resource.prlimit(pid, which)
        if current_hard != UNLIMITED:
            hard = min(hard, current_hard)
            soft = min(soft, hard)
        resource.prlimit(pid, which, (soft, hard))
