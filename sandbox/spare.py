"""A sandbox's init, started before its first request arrives, as the supervisor holds it.

Cloning into new namespaces and building the root are most of a sandbox's
setup cost, and do not depend on the request but on its shape (binds,
workspace size, warm process). The supervisor keeps spares of the last
shape ready, started while runs go on or while it waits for requests, at
idle priority; a request of that shape only has to write its files and
start its program. Within a session, a sandbox serves every run of its
shape whose rlimits it can still take (they are only ever lowered).
"""

from __future__ import annotations

import os
import select
import signal
import socket
from dataclasses import dataclass

from sandbox import cgroups, idmap, init, kernfs, libc, protocol, rlimits
from sandbox.request import RunRequest

NAMESPACES = (
    libc.CLONE_NEWUSER
    | libc.CLONE_NEWPID
    | libc.CLONE_NEWNS
    | libc.CLONE_NEWNET
    | libc.CLONE_NEWIPC
    | libc.CLONE_NEWUTS
)
# What an init that starts programs itself needs of its own rlimits, lowered
# to a run's, to take another run: its own descriptors, its own stack.
INIT_OPEN_FILES = 32
INIT_STACK = 8 << 20
SETUP_TIMEOUT = 10.0  # seconds for an init to build its tree, or to clean it between runs


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


def _lower_or_equal(wanted: dict[int, tuple[int, int]], have: dict[int, tuple[int, int]]) -> bool:
    def at_most(value: int, limit: int) -> bool:
        return limit == rlimits.UNLIMITED or (value != rlimits.UNLIMITED and value <= limit)

    return all(
        which in have and at_most(soft, have[which][0]) and at_most(hard, have[which][1])
        for which, (soft, hard) in wanted.items()
    )


@dataclass
class Spare:
    shape: init.Shape
    identity: tuple[tuple[int, int, str], ...]
    pid: int
    control: socket.socket
    status: int  # read ends of the init's pipes
    report: int
    cgroup: cgroups.RunCgroup | None  # joined by the init at birth, limited for each run
    limits: dict[int, tuple[int, int]] | None = None  # the rlimits runs lowered it to
    ready: bool = False  # its b"p" was read already (while the supervisor was idle)

    @classmethod
    def start(
        cls, shape: init.Shape, blueprint: init.Init, host_id: int, cgroup: cgroups.RunCgroup | None
    ) -> Spare:
        """Clone an init for `shape`; `blueprint` gives the rest of what it needs."""
        control, control_theirs = socket.socketpair()
        status, status_write = os.pipe2(os.O_CLOEXEC)
        report, report_write = os.pipe2(os.O_CLOEXEC)
        spare = cls(shape, _identity(shape), 0, control, status, report, cgroup)
        theirs = (control_theirs.fileno(), status_write, report_write)
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

    def takes(self, request: RunRequest, values: dict[int, tuple[int, int]]) -> bool:
        """Whether this sandbox, used before, can run `request` with rlimits `values`."""
        if self.limits is None:
            return True
        if not _lower_or_equal(values, self.limits):
            return False
        if self.shape.zygote or self.shape.fork_server:
            return True
        # The init lowered its own rlimits for posix_spawn: it must still write and work.
        limits = request.limits
        largest = max((len(data) for data in request.files.values()), default=0)
        return (
            largest <= limits.file_size
            and limits.open_files >= INIT_OPEN_FILES
            and limits.stack >= INIT_STACK
        )

    def prepared(self) -> bool:
        """Wait until the init is prepared (False: it failed, died, exited or hung first)."""
        if self.ready:
            self.ready = False
            return True
        ready, _, _ = select.select([self.status, self.report], [], [], SETUP_TIMEOUT)
        return self.status in ready and os.read(self.status, 1) == b"p"

    def heard(self) -> bool:
        """Read what its status pipe says (it is readable): False if the init exited."""
        self.ready = os.read(self.status, 1) == b"p"
        return self.ready

    def wake(self) -> None:
        """Give the init and its warm process the normal scheduling policy back."""
        for pid in (self.pid, *self.children()):
            os.sched_setscheduler(pid, os.SCHED_OTHER, os.sched_param(0))

    def children(self) -> list[int]:
        """The init's children (its zygote or fork server, between runs)."""
        text = kernfs.read(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in text.split()]

    def send(self, message: object, fds: tuple[int, ...] = ()) -> None:
        protocol.send(self.control, message, fds)

    def discard(self) -> None:
        """Kill the init (and so its namespace) and let go of its pipes."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.close()

    def close(self) -> None:
        self.control.close()
        for fd in (self.status, self.report):
            os.close(fd)
