"""The seed exercises: every checker and feature covered, every reference solution verified."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from exercise_support import CHECKOUT

from runners.judging.exercise import load_exercises
from runners.judging.verify import expected_verdict, solutions

EXERCISES = CHECKOUT / "exercises"


def test_seed_covers_the_format() -> None:
    exercises = load_exercises(EXERCISES)
    assert len(exercises) >= 12
    kinds = {e.checker.kind for e in exercises.values()}
    assert kinds == {"exact", "lines", "tokens", "float", "custom", "script", "interactive"}
    assert any(e.subtasks for e in exercises.values())
    expected = {
        (path.suffix, expected_verdict(path)) for e in exercises.values() for path in solutions(e)
    }
    for suffix in (".py", ".c", ".cpp", ".cc", ".rs"):
        assert any(s == suffix for s, _ in expected), suffix
    assert any(e.io.input and e.io.output for e in exercises.values())  # a file task
    verdicts = {str(v) for _, v in expected}
    assert {"AC", "WA", "PA", "TLE", "MLE", "OLE", "RE", "CE"} <= verdicts
    for exercise in exercises.values():
        found = [expected_verdict(p) for p in solutions(exercise)]
        assert "AC" in found and any(v != "AC" for v in found), exercise.slug


def test_verify_seed_exercises(cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    done = cli("exercises", "verify", EXERCISES)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 MISMATCH" in done.stdout
