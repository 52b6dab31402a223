"""A run's init started before its request arrives.

Cloning into new namespaces and building the root are most of a run's setup
cost, and do not depend on the request but on its shape (binds, workspace
size, zygote). The supervisor keeps spares of the last shape ready, started
while runs go on or while it waits for requests, at idle priority; a request
of that shape only has to write its files and start its program.
"""

from __future__ import annotations

import os
import signal
import socket
from dataclasses import dataclass

from sandbox import cgroups, idmap, init, kernfs, libc

NAMESPACES = (
    libc.CLONE_NEWUSER
    | libc.CLONE_NEWPID
    | libc.CLONE_NEWNS
    | libc.CLONE_NEWNET
    | libc.CLONE_NEWIPC
    | libc.CLONE_NEWUTS
)


def _identity(shape: init.Shape) -> tuple[tuple[int, int, str], ...]:
    """What each bind source is on the host now: a replaced file breaks the match."""
    identity = []
    for bind in shape.binds:
        try:
            info = os.lstat(bind.source)
            link = os.readlink(bind.source) if os.path.islink(bind.source) else ""
            identity.append((info.st_dev, info.st_ino, link))
        except OSError:
            identity.append((-1, -1, ""))
    return tuple(identity)


@dataclass
class Spare:
    shape: init.Shape
    identity: tuple[tuple[int, int, str], ...]
    pid: int
    control: socket.socket
    status: int  # read ends of the init's pipes
    report: int
    stdout: int
    stderr: int
    cgroup: cgroups.RunCgroup | None  # joined by the init at birth, limited once a request comes

    @classmethod
    def start(
        cls, shape: init.Shape, blueprint: init.Init, host_id: int, cgroup: cgroups.RunCgroup | None
    ) -> Spare:
        """Clone an init for `shape`; `blueprint` gives the rest of what it needs."""
        control, control_theirs = socket.socketpair()
        status, status_write = os.pipe2(os.O_CLOEXEC)
        report, report_write = os.pipe2(os.O_CLOEXEC)
        stdout, stdout_write = os.pipe2(os.O_CLOEXEC)
        stderr, stderr_write = os.pipe2(os.O_CLOEXEC)
        spare = cls(shape, _identity(shape), 0, control, status, report, stdout, stderr, cgroup)
        theirs = (control_theirs.fileno(), status_write, report_write, stdout_write, stderr_write)
        child = init.Init(
            shape=shape,
            root=blueprint.root,
            seccomp_bpf=blueprint.seccomp_bpf,
            rlimits_only=blueprint.rlimits_only,
            init_id=blueprint.init_id,
            cgroup_procs=tuple(cgroup.procs_files()) if cgroup else (),
            idle_until_taken=blueprint.idle_until_taken,
            control=control_theirs.fileno(),
            status=status_write,
            report=report_write,
            stdout=stdout_write,
            stderr=stderr_write,
        )
        spare.pid = libc.clone(NAMESPACES)
        if spare.pid == 0:
            init.main(child)
        control_theirs.detach()
        for fd in theirs:
            os.close(fd)
        try:
            idmap.write_maps(spare.pid, host_id)
            control.sendall(b"g")
        except OSError:
            spare.discard()
            raise
        return spare

    def fits(self, shape: init.Shape) -> bool:
        return shape == self.shape and _identity(shape) == self.identity

    def wake(self) -> None:
        """Give the init the normal scheduling policy back (its program inherits it)."""
        os.sched_setscheduler(self.pid, os.SCHED_OTHER, os.sched_param(0))

    def children(self) -> list[int]:
        """The init's children (its zygote, before the program starts)."""
        text = kernfs.read(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in text.split()]

    def discard(self) -> None:
        """Kill the init (and so its namespace) and let go of its pipes."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.close()

    def close(self) -> None:
        self.control.close()
        for fd in (self.status, self.report, self.stdout, self.stderr):
            os.close(fd)
