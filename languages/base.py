"""The interface of a language plugin: a small declarative class.

A plugin subclasses `Language` and fills in class attributes; the judge does
the rest (toolchain probe, compiling in the sandbox, caching, running). See
languages/README.md for a complete example.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from sandbox import Bind, Limits, MiB, system_binds

log = logging.getLogger(__name__)

FLAGS = "{flags}"  # a command item replaced by the configured flags, one item each
PROBE_TIMEOUT = 30  # seconds; a toolchain that takes longer is unavailable

# Compilers fork (gcc: cc1, as, ld) or use threads (rustc), and write larger files.
COMPILE_LIMITS = Limits(
    cpu_time=10,
    wall_time=10,
    memory=512 * MiB,
    processes=64,
    file_size=128 * MiB,
    output=1 * MiB,
    output_kept=64 * 1024,
    workspace=256 * MiB,
)


class UnknownLanguage(ValueError):
    """No plugin has this id or extension."""


@dataclass(frozen=True)
class LanguageInfo:
    """What `judge languages --json` and the API show of a language."""

    id: str
    name: str
    extension: str
    version: str | None  # the toolchain's version line; None when unavailable
    available: bool


class Language:
    """How to compile (if needed) and run one source file in the sandbox.

    Commands are tuples of strings where `{toolchain}` is the resolved
    toolchain path, `{source}` the source file name and `{flags}` (a whole
    item) the flags. The compile step runs in `/box` with the source; it
    leaves `artifact` there, or checks the source when `artifact` is None
    (then the program runs the source itself).

    Settings: `JUDGE_<ID>_TOOLCHAIN` replaces `toolchain` and
    `JUDGE_<ID>_FLAGS` (shell syntax) replaces `flags`.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    extension: ClassVar[str]  # with the dot: ".c"; the source is written as solution + extension
    extra_extensions: ClassVar[tuple[str, ...]] = ()  # also recognized in file names: (".cc",)
    toolchain: ClassVar[str]  # command name (looked up on PATH) or absolute path
    version_command: ClassVar[tuple[str, ...]] = ("{toolchain}", "--version")
    compile: ClassVar[tuple[str, ...] | None] = None  # None: nothing to compile
    flags: ClassVar[tuple[str, ...]] = ()
    artifact: ClassVar[str | None] = None
    run: ClassVar[tuple[str, ...]]
    # A warm start (sandbox/zygote.py): a command started before each run's
    # request, which becomes `run`. JUDGE_<ID>_WARM=0 turns it off.
    warm: ClassVar[tuple[str, ...] | None] = None
    # A fork server (sandbox/forkserver.py): a command started once per sandbox
    # (once per submission), which forks each run's program; it takes
    # precedence over `warm` for programs. JUDGE_<ID>_WARM=0 turns it off.
    fork_server: ClassVar[tuple[str, ...] | None] = None
    compile_warm: ClassVar[bool] = False  # the compile step runs through the fork server too
    env: ClassVar[Mapping[str, str]] = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    host_paths: ClassVar[tuple[str, ...]] = ()  # read-only, beyond system_binds()
    toolchain_at_run: ClassVar[bool] = False  # interpreters need it to run too
    compile_limits: ClassVar[Limits] = COMPILE_LIMITS
    self_test: ClassVar[str]  # a program copying stdin to stdout

    @property
    def source_name(self) -> str:
        return f"solution{self.extension}"

    @property
    def extensions(self) -> tuple[str, ...]:
        """What a source file of this language may end with, the usual one first."""
        return (self.extension, *self.extra_extensions)

    def setting(self, name: str) -> str | None:
        """The `JUDGE_<ID>_<NAME>` environment variable, if set and not empty."""
        return os.environ.get(f"JUDGE_{self.id.upper()}_{name}") or None

    def configured_flags(self) -> tuple[str, ...]:
        value = self.setting("FLAGS")
        return tuple(shlex.split(value)) if value is not None else self.flags

    def configured_toolchain(self) -> str:
        return self.setting("TOOLCHAIN") or self.toolchain

    def resolve_toolchain(self) -> Path | None:
        """The real toolchain executable on the host, or None when missing."""
        found = shutil.which(self.configured_toolchain())
        return Path(found).absolute() if found else None

    @cached_property
    def toolchain_path(self) -> Path | None:
        try:
            return self.resolve_toolchain()
        except (OSError, subprocess.SubprocessError) as error:
            log.warning("language %s: cannot resolve its toolchain: %s", self.id, error)
            return None

    @cached_property
    def _version(self) -> str | None:
        if self.toolchain_path is None:
            return None
        output = probe(self.expand(self.version_command))
        return output.splitlines()[0].strip() if output and output.strip() else None

    def version(self) -> str | None:
        """The toolchain's version line, probed once; None when unavailable."""
        return self._version

    def available(self) -> bool:
        return self.version() is not None

    def unavailable_reason(self) -> str:
        if self.toolchain_path is None:
            return f"{self.configured_toolchain()} not found"
        return f"{self.toolchain_path} does not answer {' '.join(self.version_command[1:])}"

    def expand(self, command: tuple[str, ...]) -> list[str]:
        """`command` with its placeholders replaced."""
        values = {"toolchain": str(self.toolchain_path), "source": self.source_name}
        argv: list[str] = []
        for item in command:
            if item == FLAGS:
                argv.extend(self.configured_flags())
            else:
                argv.append(item.format_map(values))
        return argv

    def compile_argv(self) -> list[str] | None:
        return None if self.compile is None else self.expand(self.compile)

    def run_argv(self) -> list[str]:
        return self.expand(self.run)

    def warm_argv(self) -> list[str]:
        """The zygote command, or nothing when the language has none or it is off."""
        if self.warm is None or self.setting("WARM") == "0":
            return []
        return self.expand(self.warm)

    def fork_server_argv(self) -> list[str]:
        """The fork server command, or nothing when the language has none or it is off."""
        if self.fork_server is None or self.setting("WARM") == "0":
            return []
        return self.expand(self.fork_server)

    def toolchain_binds(self) -> list[Bind]:
        """Host paths the toolchain needs: its prefix (of the link and of its
        target, for a virtual environment), plus `host_paths`."""
        paths = [Path(p) for p in self.host_paths]
        if self.toolchain_path is not None:
            paths.append(self.toolchain_path.parent.parent)
            paths.append(self.toolchain_path.resolve().parent.parent)
        return [Bind(path) for path in paths if path.exists()]

    def compile_binds(self) -> tuple[Bind, ...]:
        return merge_binds([*system_binds(), *self.toolchain_binds()])

    def run_binds(self) -> tuple[Bind, ...]:
        toolchain = self.toolchain_binds() if self.toolchain_at_run else []
        return merge_binds([*system_binds(), *toolchain])

    def run_env(self) -> dict[str, str]:
        return dict(self.env)

    def compile_env(self) -> dict[str, str]:
        return {**self.env, "TMPDIR": "/tmp"}

    def info(self) -> LanguageInfo:
        return LanguageInfo(self.id, self.name, self.extension, self.version(), self.available())

    def __repr__(self) -> str:
        return f"<language {self.id}>"


def probe(argv: list[str]) -> str | None:
    """Output of a trusted host command (a version probe), None if it fails."""
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=PROBE_TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("probe %s failed: %s", argv, error)
        return None
    if done.returncode != 0:
        log.warning("probe %s exited with %s", argv, done.returncode)
        return None
    return (done.stdout or done.stderr).decode(errors="replace")


def merge_binds(binds: list[Bind]) -> tuple[Bind, ...]:
    """`binds` without duplicates and without binds another one already shows."""
    kept: list[Bind] = []
    for bind in binds:
        if Path(bind.path) == Path("/") or any(shows(other, bind) for other in kept):
            continue
        kept = [other for other in kept if not shows(bind, other)]
        kept.append(bind)
    return tuple(kept)


def shows(outer: Bind, inner: Bind) -> bool:
    """Whether `outer` already shows what `inner` would, at the same place."""
    target = Path(inner.path)
    if not target.is_relative_to(outer.path):
        return False
    return inner.source == outer.source / target.relative_to(outer.path)
