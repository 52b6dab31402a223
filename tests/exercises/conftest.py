"""Fixtures of the exercise tests: exercise folders written on the fly, a real sandbox."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from exercise_support import JUDGE, Judge, MakeFolder

from languages import CompileCache
from runners.judging.exercise import Exercise, load_exercise
from runners.judging.pipeline import judge
from runners.judging.results import SubmissionResult
from sandbox import Sandbox


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """make_folder(files, slug="demo"): an exercise folder holding `files` (path -> text)."""

    def make(files: dict[str, str | bytes], slug: str = "demo") -> Path:
        folder = tmp_path / "exercises" / slug
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    return make




@pytest.fixture
def run_judge(box: Sandbox, cache: CompileCache) -> Judge:
    """run_judge(exercise_or_folder, language, source) -> SubmissionResult, in the real sandbox."""

    def run(exercise: Exercise | Path, language: str, source: str) -> SubmissionResult:
        if isinstance(exercise, Path):
            exercise = load_exercise(exercise)
        return judge(exercise, language, source.encode(), box, cache=cache)

    return run


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """cli(*args) runs the `judge` command with a private data folder."""

    def run(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "JUDGE_DATA_DIR": str(tmp_path / "data")}
        env.pop("JUDGE_EXERCISES_DIR", None)
        return subprocess.run(
            [str(JUDGE), *map(str, args)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
