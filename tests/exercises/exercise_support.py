"""Helpers shared by the exercise tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from runners.judging.results import SubmissionResult

JUDGE = Path(sys.executable).parent / "judge"
CHECKOUT = Path(__file__).resolve().parents[2]
HKIS_EXERCISES = Path(__file__).resolve().parent / "hkis-exercises"  # see its README.md
MakeFolder = Callable[..., Path]
Judge = Callable[..., SubmissionResult]  # the run_judge fixture


def basic(toml: str = 'title = "Demo"\n', **extra: str | bytes) -> dict[str, str | bytes]:
    """The files of a small valid exercise: two tests echoing a number."""
    files: dict[str, str | bytes] = {
        "exercise.toml": toml,
        "wording.md": "# Demo\n",
        "tests/1-sample.in": "1\n",
        "tests/1-sample.out": "1\n",
        "tests/2-hidden.in": "secret 42\n",
        "tests/2-hidden.out": "secret 42\n",
    }
    files.update(extra)
    return files
