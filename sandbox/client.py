"""`Sandbox`: runs requests through a supervisor process of its own."""

from __future__ import annotations

import socket
import subprocess
import sys

from sandbox import protocol
from sandbox.closing import Closing
from sandbox.config import SandboxConfig
from sandbox.request import RunRequest, RunResult

# Beyond a run's wall time limit, how long the supervisor may take to answer.
REPLY_MARGIN = 30.0


class SandboxError(Exception):
    """The sandbox itself is unavailable (its supervisor died or hung)."""


class Sandbox(Closing):
    """One supervisor, one run at a time: not thread-safe (see SandboxPool).

    The supervisor starts on first use and is restarted after a failure.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: socket.socket | None = None

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
        """Run `request` in a fresh sandbox. Raises SandboxError if the sandbox failed."""
        sock = self._socket or self._start()
        sock.settimeout(request.limits.wall_time + REPLY_MARGIN)
        try:
            protocol.send(sock, request)
            result: RunResult | None = protocol.receive(sock)
        except OSError as error:  # includes the timeout
            self.close()
            raise SandboxError(f"the sandbox supervisor failed: {error}") from error
        if result is None:
            self.close()
            raise SandboxError("the sandbox supervisor exited")
        return result

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
