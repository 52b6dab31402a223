"""How a supervisor sets up its runs."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.idmap import DEFAULT_HOST_ID


@dataclass(frozen=True)
class SandboxConfig:
    cgroup_parent: str = "judge"  # created under each cgroup hierarchy's root
    host_id: int = DEFAULT_HOST_ID  # host uid/gid of a run's init; the program's is the next one
    spares: int = 2  # inits kept ready for the shape of the last request
