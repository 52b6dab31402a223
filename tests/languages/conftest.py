"""Fixtures of the language tests: a real sandbox, a private compile cache, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from languages import CompileCache, get_language
from languages.runs import SourceRun, run_source
from sandbox import Limits, MiB, RunRequest, RunResult, Sandbox

JUDGE = Path(sys.executable).parent / "judge"
# Small limits keep the TLE and MLE tests fast.
TEST_LIMITS = Limits(cpu_time=1, wall_time=3, memory=64 * MiB)




@dataclass
class Counting:
    """A sandbox that counts its runs: shows when the cache spared a compile."""

    box: Sandbox
    requests: list[RunRequest] = field(default_factory=list)

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        return self.box.run(request)


@pytest.fixture
def counting(box: Sandbox) -> Counting:
    return Counting(box)


@pytest.fixture
def run_program(box: Sandbox, cache: CompileCache) -> Callable[..., SourceRun]:
    """run_program(language_id, source, stdin=b"", limits=TEST_LIMITS) -> SourceRun."""

    def run(
        language_id: str, source: str, stdin: bytes | Path = b"", limits: Limits = TEST_LIMITS
    ) -> SourceRun:
        return run_source(get_language(language_id), source.encode(), stdin, limits, box, cache)

    return run


@pytest.fixture
def judge(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """judge(*args, env=None, input=b"") runs the `judge` command in tmp_path."""

    def run(
        *args: str | Path, env: dict[str, str] | None = None, input: bytes = b""
    ) -> subprocess.CompletedProcess[bytes]:
        environment = {**os.environ, "JUDGE_DATA_DIR": str(tmp_path / "data"), **(env or {})}
        return subprocess.run(
            [str(JUDGE), *map(str, args)],
            env=environment,
            input=input,
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
            check=False,
        )

    return run
