"""The supervisor: a lean, single-threaded process that forks every sandbox.

Forking from a multi-threaded worker is unsafe, so each `Sandbox` starts one
supervisor (`python -m sandbox.supervisor FD`) and sends it requests over a
socket. What can be done once is done here once (the seccomp filter
compiled, the cgroup hierarchy found), and what can be done ahead is done
ahead: spare inits wait, prepared, for the requests of the last shape.
Outside a session each run takes a sandbox of its own, which ends with it;
inside one (a submission), a sandbox serves every run of its shape, cleaned
between runs, until the session ends.
"""

from __future__ import annotations

import itertools
import os
import select
import signal
import socket
import sys
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from sandbox import cgroups, idmap, init, launch, libc, monitor, protocol, rlimits, seccomp_policy
from sandbox.cleaner import Cleaner
from sandbox.config import SandboxConfig
from sandbox.messages import Session, Together
from sandbox.request import RunRequest, RunResult
from sandbox.spare import Spare
from sandbox.status import Status

MAX_SPARES = 8  # in all: a submission alternates compiles, tests and checks
TITLE = "sandbox.supervisor"  # our command line, and our inits': no host path in it


def _log(message: str) -> None:
    print(f"sandbox supervisor {os.getpid()}: {message}", file=sys.stderr, flush=True)


def _mount_point() -> str:
    """An empty directory each sandbox mounts its root on, in its own namespace."""
    base = Path("/run") if os.geteuid() == 0 else Path(os.environ.get("XDG_RUNTIME_DIR", "/tmp"))
    path = base / f"judge-sandbox-{os.geteuid()}"
    path.mkdir(mode=0o755, exist_ok=True)
    return str(path)


def _pending(sock: socket.socket) -> bool:
    """Whether a request is waiting to be read."""
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class Supervisor:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.hierarchy = self._find_hierarchy()
        self.blueprint = init.Init(
            shape=init.Shape((), 0),
            root=_mount_point(),
            seccomp_bpf=seccomp_policy.compile_bpf(),
            rlimits_only=self.hierarchy is None,
            init_id=idmap.init_id(),
            cgroup_procs=(),
            idle_until_taken=os.geteuid() == 0,  # only root may give SCHED_OTHER back
            control=-1,
            status=-1,
            report=-1,
        )
        self.names = (f"run-{os.getpid()}-{n}" for n in itertools.count())
        self.spares: OrderedDict[init.Shape, list[Spare]] = OrderedDict()  # least recent first
        self.recent: init.Shape | None = None  # the shape to keep spares of
        self.session = False
        self.kept: list[Spare] = []  # sandboxes of this session, between runs
        self.exiting: list[int] = []  # inits whose sandboxes ended, not reaped yet
        self.cleaner = Cleaner() if self.hierarchy else None  # forked while we are lean

    def _find_hierarchy(self) -> cgroups.Hierarchy | None:
        try:
            hierarchy = cgroups.find_hierarchy(self.config.cgroup_parent)
        except cgroups.CgroupError as error:
            _log(f"{error}; falling back to rlimits (memory limited by RLIMIT_AS)")
            return None
        if hierarchy is None:
            _log("no usable cgroup hierarchy; memory limited by RLIMIT_AS, CPU time per process")
            return None
        hierarchy.remove_stale()
        return hierarchy

    def _take_spare(self, shape: init.Shape) -> Spare:
        ready = self.spares.pop(shape, [])
        self.spares[shape] = ready  # now the most recent shape
        spare = ready.pop(0) if ready else None
        if spare is not None and not spare.fits(shape):  # a bind source changed
            for stale in (spare, *ready):
                self._discard(stale)
            ready.clear()
            spare = None
        return spare or self._start(shape)

    def _take(self, request: RunRequest) -> tuple[Spare, bool]:
        """A sandbox for `request`, and whether it is prepared (False: it failed its set-up)."""
        shape = init.Shape.of(request)
        self.recent = shape
        values = rlimits.rlimits(request.limits, self.blueprint.rlimits_only)
        # A session's sandbox keeps the binds it was built with: no identity check.
        for spare in [s for s in self.kept if s.shape == shape and s.takes(request, values)]:
            self.kept.remove(spare)
            if spare.prepared():
                return spare, True
            self._end(spare)  # it retired, or died, after its last run
        spare = self._take_spare(shape)
        if not spare.prepared():
            return spare, False
        if self.blueprint.idle_until_taken:
            spare.wake()
        return spare, True

    def _start(self, shape: init.Shape) -> Spare:
        cgroup = self.hierarchy.create(next(self.names)) if self.hierarchy else None
        try:
            return Spare.start(shape, self.blueprint, self.config.host_id, cgroup)
        except BaseException:
            self._remove(cgroup)
            raise

    def _remove(self, cgroup: cgroups.RunCgroup | None) -> None:
        if cgroup and self.cleaner:
            cgroup.close()
            self.cleaner.remove(cgroup.directories())

    def _discard(self, spare: Spare) -> None:
        spare.discard()
        self._remove(spare.cgroup)

    def _end(self, spare: Spare) -> None:
        """End a sandbox: kill its init (the kernel ends the rest), reap it later."""
        os.kill(spare.pid, signal.SIGKILL)
        self.exiting.append(spare.pid)
        spare.close()
        self._remove(spare.cgroup)

    def _replenish(self, shape: init.Shape) -> None:
        """Start one more spare of `shape`; it builds its root while runs go on."""
        try:
            self.spares.setdefault(shape, []).append(self._start(shape))
        except OSError as error:
            _log(f"cannot start a spare init: {error}")
        while sum(map(len, self.spares.values())) > MAX_SPARES:
            oldest = next(ready for ready in self.spares.values() if ready)
            self._discard(oldest.pop(0))

    def wants_spare(self) -> bool:
        """Whether the last request's shape has fewer spares ready than configured."""
        ready = self.spares.get(self.recent, []) if self.recent else []
        return self.recent is not None and len(ready) < self.config.spares

    def top_up(self) -> None:
        """Start a spare of the last request's shape (when idle)."""
        if self.recent is not None:
            self._replenish(self.recent)

    def set_session(self, message: Session) -> None:
        self.session = message.open
        if not self.session:
            for spare in self.kept:
                self._end(spare)
            self.kept.clear()

    def close(self) -> None:
        """End every sandbox and wait until their cgroups are removed."""
        self.set_session(Session(open=False))
        for ready in self.spares.values():
            for spare in ready:
                self._discard(spare)
        self.spares.clear()
        self.reap_exited(wait=True)
        if self.cleaner:
            self.cleaner.close()

    def run(self, requests: Sequence[RunRequest]) -> list[RunResult]:
        """Run `requests` at the same time (two: connected by pipes)."""
        try:
            return self._run(requests)
        except Exception as error:  # a run must never take the supervisor down
            _log(f"run failed: {type(error).__name__}: {error}")
            return [RunResult(Status.IE, message=f"sandbox failure: {error}") for _ in requests]

    def _run(self, requests: Sequence[RunRequest]) -> list[RunResult]:
        self.reap_exited()
        shared = self.session and not self.blueprint.rlimits_only
        requests = [request.warm(shared) for request in requests]
        taken = [self._take(request) for request in requests]
        failed = [launch.failed_setup(spare) for spare, prepared in taken if not prepared]
        if failed:
            for spare, prepared in taken:
                self._after(spare, prepared, dead=not prepared)
            return [failed[0]] * len(requests)
        if len(requests) == 2:
            pipes: Sequence[launch.Plumbing] = launch.Plumbing.together()
        else:
            pipes = [launch.Plumbing.of(requests[0])]
        launches = [
            launch.Launch(spare, request, plumbing)
            for (spare, _), request, plumbing in zip(taken, requests, pipes, strict=True)
        ]
        last = not self.session or self.blueprint.rlimits_only
        watches = [started.begin(last) for started in launches]
        fresh = {started.spare.shape for started in launches if started.spare.limits is None}

        def replenish() -> None:  # the spares these runs took
            for shape in fresh:
                self._replenish(shape)

        monitor.watch(watches, meanwhile=replenish)
        results = []
        for started in launches:
            result, report, dead = started.conclude()
            if report is not None and not report.error:
                started.spare.limits = rlimits.rlimits(
                    started.request.limits, self.blueprint.rlimits_only
                )
            self._after(started.spare, report is not None and not report.error, dead)
            results.append(result)
        return results

    def _after(self, spare: Spare, reusable: bool, dead: bool) -> None:
        """Keep a sandbox for the session's next runs, or let it end."""
        if dead:
            spare.close()
            self._remove(spare.cgroup)
        elif reusable and self.session and not self.blueprint.rlimits_only:
            self.kept.append(spare)
        elif self.session:
            self._end(spare)
        else:  # it ended its run, told it was the last, and is exiting
            self.exiting.append(spare.pid)
            spare.close()
            self._remove(spare.cgroup)

    def await_request(self, sock: socket.socket) -> None:
        """Wait for the next request; meanwhile, end the session's sandboxes that retired."""
        while True:
            listening = [spare for spare in self.kept if not spare.ready]
            readable, _, _ = select.select([sock.fileno(), *(s.status for s in listening)], [], [])
            for spare in listening:
                if spare.status in readable and not spare.heard():
                    self.kept.remove(spare)  # it exited after its last run: reap it now
                    os.waitpid(spare.pid, 0)
                    spare.close()
                    self._remove(spare.cgroup)
            if sock.fileno() in readable:
                return

    def reap_exited(self, wait: bool = False) -> None:
        """Reap the inits that ended their sandboxes (all of them, if `wait`)."""
        for pid in list(self.exiting):
            if os.waitpid(pid, 0 if wait else os.WNOHANG) != (0, 0):
                self.exiting.remove(pid)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client decides when we stop
    libc.set_command_line(TITLE)
    with socket.socket(fileno=int(sys.argv[1])) as sock:
        config = protocol.receive(sock)
        if config is None:
            return
        supervisor = Supervisor(config)
        while True:
            while supervisor.wants_spare() and not _pending(sock):
                supervisor.top_up()  # idle: prepare for the next request
            supervisor.await_request(sock)
            message = protocol.receive(sock)
            if message is None:
                break
            if isinstance(message, Session):
                supervisor.set_session(message)
            elif isinstance(message, Together):
                protocol.send(sock, supervisor.run([message.first, message.second]))
            else:
                protocol.send(sock, supervisor.run([message])[0])
        supervisor.close()


if __name__ == "__main__":
    main()
