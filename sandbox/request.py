"""What to run, and what came of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sandbox.limits import Limits
from sandbox.status import Status

WORKSPACE = "/box"


@dataclass(frozen=True)
class Bind:
    """A host path shown read-only inside the sandbox.

    `target` defaults to the same path. A host symlink (like Debian's
    `/bin -> usr/bin`) is recreated as the same symlink instead of bound.
    """

    source: Path
    target: str = ""

    @property
    def path(self) -> str:
        return self.target or str(self.source)


def _check_workspace_name(name: str) -> None:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or str(path) != name:
        raise ValueError(f"{name!r} is not a plain relative path inside the workspace")


@dataclass(frozen=True)
class RunRequest:
    """One command to run in a fresh sandbox.

    `files` are written into the workspace (`/box`, the working directory)
    before the run; `collect` names workspace files returned afterwards
    (regular files only, never followed through symlinks). `stdin` is bytes
    or a host file opened by the trusted side. `zygote`, if set, is a
    command started before the request that becomes `argv` (sandbox/zygote.py);
    `fork_server`, if set, is a command started once per sandbox that forks
    a process becoming `argv` for each run (sandbox/forkserver.py). With
    both, the fork server serves the runs of a session and the zygote a run
    alone (a fork server pays only over many runs).
    """

    argv: Sequence[str]
    limits: Limits = field(default_factory=Limits)
    binds: Sequence[Bind] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    stdin: bytes | Path = b""
    files: Mapping[str, bytes] = field(default_factory=dict)
    executables: Sequence[str] = ()  # names in `files` written with mode 0755
    collect: Sequence[str] = ()
    cwd: str = WORKSPACE
    zygote: Sequence[str] = ()  # a warm start: see sandbox/zygote.py
    fork_server: Sequence[str] = ()  # a warm start shared by a session's runs

    def __post_init__(self) -> None:
        if not self.argv or not self.argv[0].startswith("/"):
            raise ValueError("argv[0] must be an absolute path inside the sandbox")
        if not self.cwd.startswith("/"):
            raise ValueError("cwd must be an absolute path inside the sandbox")
        for name in (*self.files, *self.executables, *self.collect):
            _check_workspace_name(name)
        if unknown := set(self.executables) - set(self.files):
            raise ValueError(f"executables not among the files: {sorted(unknown)}")
        for name, command in (("zygote", self.zygote), ("fork_server", self.fork_server)):
            if command and not command[0].startswith("/"):
                raise ValueError(f"{name}[0] must be an absolute path inside the sandbox")

    def warm(self, session: bool) -> RunRequest:
        """This request with the one warm start that suits a run in a session, or alone."""
        if not (self.zygote and self.fork_server):
            return self
        if session:
            return dataclasses.replace(self, zygote=())
        return dataclasses.replace(self, fork_server=())


@dataclass(frozen=True)
class RunResult:
    """What one run did. Times in seconds, memory in bytes (peak)."""

    status: Status
    exit_code: int | None = None
    signal: int | None = None
    cpu_time: float = 0.0
    wall_time: float = 0.0
    memory: int = 0
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    files: Mapping[str, bytes] = field(default_factory=dict)
    message: str = ""  # why, for IE and for limits (e.g. "wall time limit of 5 s")
