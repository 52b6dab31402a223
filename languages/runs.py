"""One source run once on one input: `judge run` and `POST /api/v1/runs`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from languages.base import Language
from languages.builds import Build, Runner, build
from languages.compile_cache import CompileCache
from sandbox import Limits, MiB, RunResult

DEFAULTS = Limits()  # the contract's defaults of a run: 2 s CPU, 5 s wall, 256 MiB
WALL_MARGIN = DEFAULTS.wall_time - DEFAULTS.cpu_time  # wall seconds beyond the CPU time


def run_limits(time: float | None = None, memory_mib: int | None = None) -> Limits:
    """The contract's limits of one run, with the CPU time and memory given.

    Raises ValueError for a limit that is not positive.
    """
    cpu = DEFAULTS.cpu_time if time is None else time
    memory = DEFAULTS.memory if memory_mib is None else memory_mib * MiB
    if not cpu > 0 or memory < 1:
        raise ValueError("limits must be positive")
    return Limits(cpu_time=cpu, wall_time=cpu + WALL_MARGIN, memory=memory)


@dataclass(frozen=True)
class SourceRun:
    """A build and, when it succeeded, the run of its program."""

    build: Build
    result: RunResult | None

    @property
    def status(self) -> str:
        return self.result.status.value if self.result else self.build.status.value

    def as_dict(self) -> dict[str, Any]:
        """The contract's JSON of `judge run --json`; output decoded, invalid bytes replaced.

        When the build is IE, `stderr` says why.
        """
        result = self.result
        return {
            "status": self.status,
            "exit_code": result.exit_code if result else None,
            "signal": result.signal if result else None,
            "time": result.cpu_time if result else 0.0,
            "wall_time": result.wall_time if result else 0.0,
            "memory": result.memory if result else 0,
            "stdout": result.stdout.decode(errors="replace") if result else "",
            "stderr": result.stderr.decode(errors="replace") if result else self.build.message,
            "compile_output": self.build.compile_output,
        }


def run_source(
    language: Language,
    source: bytes,
    stdin: bytes | Path,
    limits: Limits,
    sandbox: Runner,
    cache: CompileCache | None = None,
) -> SourceRun:
    """Build `source` and run it once on `stdin`."""
    built = build(language, source, sandbox, cache)
    if built.program is None:
        return SourceRun(built, None)
    return SourceRun(built, built.program.run(sandbox, stdin, limits))
