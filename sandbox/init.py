"""The sandbox's init: pid 1 of its namespaces, between the supervisor and the programs.

Cloned by the supervisor into fresh namespaces ahead of its first request,
it joins the sandbox's cgroup, builds the read-only root, takes on the
program's restrictions (and starts a zygote or a fork server, for a warm
start), says it is prepared and waits. Each request it gets is one run
(sandbox/execution.py): it reports, cleans the sandbox and says it is
prepared again, until the supervisor asks for no more (the last run of a
request outside a session, or the end of a session), a run failed the
sandbox, or the sandbox must retire. Then it kills and reaps what is left
and exits: nothing of the sandbox survives it. If it is killed instead, the
kernel kills whatever is left in its pid namespace.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
from dataclasses import dataclass
from typing import NoReturn

import prctl

from sandbox import execution, forkserver, kernfs, libc, program, protocol, rootfs, zygote
from sandbox.execution import Report
from sandbox.messages import Run
from sandbox.request import Bind, RunRequest

__all__ = ["Init", "Report", "Shape", "main"]


@dataclass(frozen=True)
class Shape:
    """What a sandbox is built from: the runs with the same shape can share one."""

    binds: tuple[Bind, ...]
    workspace: int  # bytes, each of /box and /tmp
    zygote: tuple[str, ...] = ()  # the warm program to start ahead, if any...
    env: tuple[tuple[str, str], ...] = ()  # ...and its environment
    fork_server: tuple[str, ...] = ()  # or the fork server

    @classmethod
    def of(cls, request: RunRequest) -> Shape:
        zygote, fork_server = tuple(request.zygote), tuple(request.fork_server)
        env = tuple(sorted(request.env.items())) if zygote or fork_server else ()
        return cls(tuple(request.binds), request.limits.workspace, zygote, env, fork_server)


@dataclass(frozen=True)
class Init:
    """What an init knows from birth: everything but its requests."""

    shape: Shape
    root: str  # where to build the root before pivoting into it
    seccomp_bpf: bytes
    rlimits_only: bool  # no cgroup: memory and CPU time limited by rlimits alone
    init_id: int  # our uid and gid inside, once the maps are written
    cgroup_procs: tuple[str, ...]  # the sandbox's cgroup: we join it at birth
    idle_until_taken: bool  # build at SCHED_IDLE: the supervisor restores us when it takes us
    control: int  # socket: the go-ahead once our maps are written, then the requests
    status: int  # write: b"p" each time we are prepared for a request
    report: int  # write: a framed Report per run

    def close_other_fds(self) -> None:
        """Close what came from the supervisor (its client, other sandboxes' pipes)."""
        keep = sorted({0, 1, 2, self.control, self.status, self.report})
        for low, high in zip(keep, [*keep[1:], 1 << 20], strict=True):
            if high > low + 1:
                os.closerange(low + 1, high)


def _await_go(control: socket.socket) -> None:
    if control.recv(1) != b"g":
        raise RuntimeError("the supervisor went away")


def _die_with_supervisor(control: socket.socket) -> None:
    """Be killed when the supervisor dies; any change of our ids clears this."""
    prctl.set_pdeathsig(signal.SIGKILL)
    try:
        gone = control.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        gone = False
    if gone:  # it died before we asked
        raise RuntimeError("the supervisor went away")


def _warm(shape: Shape) -> execution.Warm | None:
    env = dict(shape.env)
    if shape.fork_server:
        return forkserver.ForkServer(shape.fork_server, env)
    if shape.zygote:
        return zygote.Zygote(shape.zygote, env)
    return None


def _prepare(init: Init, control: socket.socket) -> execution.Executor:
    """Everything the requests do not change: the tree, our identity, the warm process."""
    if init.idle_until_taken:  # never slow down the runs going on
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    for procs in init.cgroup_procs:  # as the host's root still: the sandbox's group is ours
        kernfs.write(procs, "0")
    gc.disable()  # a collection would touch, so copy, every page we share with the supervisor
    init.close_other_fds()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # pid 1: default means ignored
    _die_with_supervisor(control)
    # Opened while we still have the supervisor's host uid: a bind source may
    # sit under a directory (a 0700 /root) that our mapped uid cannot search.
    binds = rootfs.open_binds(init.shape.binds)
    _await_go(control)  # our id maps are written: become their init id
    prctl.set_dumpable(False)  # only now: an unprivileged supervisor writes our maps as our owner
    os.setresgid(init.init_id, init.init_id, init.init_id)
    os.setresuid(init.init_id, init.init_id, init.init_id)
    _die_with_supervisor(control)  # again: changing ids cleared it
    ipc_tables = rootfs.build(init.root, binds, init.shape.workspace)
    libc.sethostname("judge")
    libc.unshare(libc.CLONE_NEWCGROUP)  # rooted at the sandbox's group, where we are
    # Now the program's user for good: reaping, killing the runs' processes,
    # writing and cleaning /box need nothing more, and the warm process and
    # the programs inherit it all. Only the requests' rlimits are left to set.
    program.drop_privileges(init.seccomp_bpf)
    _die_with_supervisor(control)  # again: changing ids cleared it
    warm = _warm(init.shape)
    return execution.Executor(control, warm, init.rlimits_only, ipc_tables)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _serve(init: Init, executor: execution.Executor) -> None:
    """Run requests until there is no more, or this sandbox cannot take another."""
    while True:
        _write(init.status, b"p")
        message, streams = protocol.receive_with_fds(executor.control)
        if message is None:
            return  # the supervisor is done with us
        if not isinstance(message, Run):  # a Kill that came after its run ended
            for fd in streams:
                os.close(fd)
            continue
        try:
            report = executor.run(message.request, streams)
        except Exception as error:
            report = Report(error=f"sandbox failure: {type(error).__name__}: {error}")
        _write(init.report, protocol.frame(report))
        if message.last or report.error:
            return
        try:
            executor.clean()
        except execution.Retire:
            return


def main(init: Init) -> NoReturn:
    """The whole life of the sandbox's init (never returns)."""
    control = socket.socket(fileno=init.control)
    try:
        executor = _prepare(init, control)
    except BaseException as error:
        report = Report(error=f"sandbox setup failed: {type(error).__name__}: {error}")
        try:
            _write(init.report, protocol.frame(report))
        finally:
            os._exit(0)
    try:
        _serve(init, executor)
        if executor.warm is not None:
            executor.warm.close()
        executor.reaper.kill_everyone(executor.note)
    finally:
        os._exit(0)
