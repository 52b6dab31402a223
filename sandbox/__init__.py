"""Isolation of runs: namespaces, mounts, seccomp, cgroups, rlimits.

    from sandbox import Sandbox, RunRequest, Bind, Limits

    with Sandbox() as box:
        result = box.run(RunRequest(argv=["/usr/bin/python3", "-c", "print(1)"],
                                    binds=system_binds()))
        with box.session():  # a submission's runs share their sandbox
            ...
"""

from sandbox.client import Sandbox, SandboxError
from sandbox.config import SandboxConfig
from sandbox.limits import KiB, Limits, MiB
from sandbox.pool import SandboxPool
from sandbox.request import WORKSPACE, Bind, RunRequest, RunResult
from sandbox.rootfs import system_binds
from sandbox.status import Status

__all__ = [
    "WORKSPACE",
    "Bind",
    "KiB",
    "Limits",
    "MiB",
    "RunRequest",
    "RunResult",
    "Sandbox",
    "SandboxConfig",
    "SandboxError",
    "SandboxPool",
    "Status",
    "system_binds",
]
