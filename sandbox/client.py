"""`Sandbox`: runs requests through a supervisor process of its own."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sandbox import protocol
from sandbox.closing import Closing
from sandbox.config import SandboxConfig
from sandbox.messages import Session, Together
from sandbox.request import RunRequest, RunResult

# Beyond a run's wall time limit, how long the supervisor may take to answer.
REPLY_MARGIN = 30.0


class SandboxError(Exception):
    """The sandbox itself is unavailable (its supervisor died or hung)."""


class Sandbox(Closing):
    """One supervisor, one run at a time: not thread-safe (see SandboxPool).

    The supervisor starts on first use and is restarted after a failure.
    Each run has a sandbox of its own, unless it is run inside `session()`.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None
        self._sessions = 0  # depth of nested `session()` blocks

    def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-E", "-s", "-m", "sandbox.supervisor", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},  # no secret of ours reaches a run
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._socket = ours
        protocol.send(ours, self.config)
        return ours

    def run(self, request: RunRequest) -> RunResult:
        """Run `request` in a sandbox. Raises SandboxError if the sandbox failed."""
        result: RunResult = self._ask(request, request.limits.wall_time)
        return result

    def run_connected(self, first: RunRequest, second: RunRequest) -> tuple[RunResult, RunResult]:
        """Run both at the same time, each in a sandbox of its own, connected by two pipes.

        `first`'s stdout is `second`'s stdin, and `second`'s stdout is
        `first`'s stdin (their own `stdin` is not used); their stderr, limits
        and measures are their own. A run blocked on a pipe that never gets
        data reaches its wall time limit; a run writing to a pipe whose
        reader is gone gets SIGPIPE (or EPIPE) as usual. Their results have
        no stdout: it went to the other run.
        """
        wall_time = max(first.limits.wall_time, second.limits.wall_time)
        first_result, second_result = self._ask(Together(first, second), wall_time)
        return first_result, second_result

    @contextmanager
    def session(self) -> Iterator[Sandbox]:
        """Runs inside share sandboxes: one per shape (binds, workspace, warm process).

        For the runs of one submission: namespaces, root, cgroup and seccomp
        filter are set up once (and a fork server started once), and each run
        is only a process started inside, measured alone; the workspace, /tmp
        and IPC are cleaned and its processes killed before the next run. The
        sandboxes end with the block.
        """
        if self._sessions == 0:
            self._tell(Session(open=True))
        self._sessions += 1
        try:
            yield self
        finally:
            self._sessions -= 1
            if self._sessions == 0 and self._socket is not None:
                with contextlib.suppress(SandboxError):  # then the supervisor is gone already
                    self._tell(Session(open=False))

    def _tell(self, message: Any) -> None:
        sock = self._socket or self._start()
        try:
            protocol.send(sock, message)
        except OSError as error:
            self.close()
            raise SandboxError(f"the sandbox supervisor failed: {error}") from error

    def _ask(self, message: Any, wall_time: float) -> Any:
        if self._socket is None:
            self._start()
            if self._sessions:  # a new supervisor after a failure: the session goes on
                self._tell(Session(open=True))
        sock = self._socket
        assert sock is not None
        sock.settimeout(wall_time + REPLY_MARGIN)
        try:
            protocol.send(sock, message)
            answer = protocol.receive(sock)
        except OSError as error:  # includes the timeout
            self.close()
            raise SandboxError(f"the sandbox supervisor failed: {error}") from error
        if answer is None:
            self.close()
            raise SandboxError("the sandbox supervisor exited")
        return answer

    def close(self) -> None:
        """Stop the supervisor (it ends its current run first)."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._process is not None:
            try:
                self._process.wait(timeout=REPLY_MARGIN)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
