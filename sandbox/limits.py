"""Resource limits of one run, named after what enforces them."""

from __future__ import annotations

from dataclasses import dataclass

KiB = 1024
MiB = 1024 * KiB


@dataclass(frozen=True)
class Limits:
    """What one run may use. Sizes are bytes, times seconds.

    The defaults are the contract's for a run (`judge run`, `POST /runs`): 2 s
    of CPU, 5 s of wall time, 256 MiB, 64 KiB kept per output stream and OLE
    past 1 MiB. Every other default derives from these.

    `cpu_time` and `memory` are enforced by cgroups (rlimits as a fallback),
    `wall_time` by the supervisor, the rest by rlimits, tmpfs sizes and the
    output pipes.
    """

    cpu_time: float = 2.0
    wall_time: float = 5.0
    memory: int = 256 * MiB
    processes: int = 64  # pids.max, else RLIMIT_NPROC
    file_size: int = 16 * MiB  # RLIMIT_FSIZE: a longer write is OLE
    open_files: int = 256  # RLIMIT_NOFILE
    stack: int = 64 * MiB  # RLIMIT_STACK
    output: int = 1 * MiB  # per stream: more is OLE
    output_kept: int = 64 * KiB  # per stream: what the result keeps
    workspace: int = 64 * MiB  # size of the /box and /tmp tmpfs, each

    def __post_init__(self) -> None:
        for name in ("cpu_time", "wall_time"):
            if not getattr(self, name) > 0:
                raise ValueError(f"limit {name} must be positive")
        sizes = ("memory", "processes", "file_size", "open_files", "stack", "output", "workspace")
        for name in sizes:
            if getattr(self, name) < 1:
                raise ValueError(f"limit {name} must be positive")
        if self.output_kept > self.output:
            raise ValueError("output_kept cannot exceed output")
