"""Checking exercise folders: validate them, judge their reference solutions.

A reference solution's file name starts with the verdict it must get
(`ac.py`, `wa-off-by-one.c`, `tle_naive.rs`...): the verdict, then the end of
the name or any character that is not a letter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from languages import CompileCache, Runner, UnknownLanguage, language_for_path
from runners.judging.exercise import Exercise, ExerciseError, exercise_folders, load_exercise
from runners.judging.pipeline import judge
from runners.judging.verdict import Verdict

EXPECTED = re.compile(r"(ac|wa|pa|tle|mle|ole|re|ce|ie)(?![a-z])", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One line of the verify table: `ok` when `got` is `expected`."""

    exercise: str
    solution: str
    expected: str
    got: str
    ok: bool
    note: str = ""


def folders(paths: Iterable[Path]) -> list[Path]:
    """Exercise folders: each path is one (it has exercise.toml) or holds some."""
    found: list[Path] = []
    for path in paths:
        found.extend([path] if (path / "exercise.toml").exists() else exercise_folders(path))
    return found


def expected_verdict(path: Path) -> Verdict | None:
    match = EXPECTED.match(path.name)
    return Verdict(match.group(1).upper()) if match else None


def solutions(exercise: Exercise) -> list[Path]:
    folder = exercise.solutions_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def verify_solution(
    exercise: Exercise, path: Path, runner: Runner, cache: CompileCache | None = None
) -> Row:
    expected = expected_verdict(path)
    if expected is None:
        note = "the name must start with the expected verdict (ac, wa, pa, tle, mle, ole, re, ce)"
        return Row(exercise.slug, path.name, "?", "-", False, note)
    try:
        language = language_for_path(path)
        result = judge(exercise, language.id, path.read_bytes(), runner, cache=cache)
    except (UnknownLanguage, ValueError, OSError) as error:
        return Row(exercise.slug, path.name, expected.value, "-", False, str(error))
    first = next((t for t in result.tests if t.verdict is result.verdict), None)
    note = f"score {result.score:g}/{result.max_score:g}"
    if first is not None and result.verdict is not Verdict.AC:
        note += f", test {first.name}: {first.message.splitlines()[0] if first.message else ''}"
    return Row(
        exercise.slug,
        path.name,
        expected.value,
        result.verdict.value,
        result.verdict is expected,
        note,
    )


def jobs(paths: Iterable[Path], strict: bool = False) -> Iterator[tuple[Exercise, Path] | Row]:
    """The solutions to judge, and a failed row for each broken folder.

    `strict`: an exercise without an `ac*` solution fails too (nothing shows it can be solved).
    """
    for folder in folders(paths):
        try:
            exercise = load_exercise(folder)
        except ExerciseError as error:
            yield Row(folder.name, "-", "valid", "invalid", False, str(error))
            continue
        found = solutions(exercise)
        if strict and not any(expected_verdict(path) is Verdict.AC for path in found):
            note = "no accepted reference solution (solutions/ac*): --strict needs one"
            yield Row(exercise.slug, "-", "ac*", "none", False, note)
        elif not found:
            yield Row(exercise.slug, "-", "valid", "valid", True, "no reference solutions")
        yield from ((exercise, path) for path in found)


def verify(
    paths: Iterable[Path],
    runner: Runner,
    workers: int = 1,
    on_row: Callable[[Row], None] | None = None,
    cache: CompileCache | None = None,
    strict: bool = False,
) -> list[Row]:
    """Every row, in folder and solution order; `on_row` sees each as it finishes.

    `runner` must be thread-safe (a SandboxPool) when `workers` > 1; `on_row`
    is then called from several threads. `strict`: see `jobs`.
    """

    def finish(row: Row) -> Row:
        if on_row:
            on_row(row)
        return row

    def work(job: tuple[Exercise, Path] | Row) -> Row:
        return finish(job if isinstance(job, Row) else verify_solution(*job, runner, cache))

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(work, list(jobs(paths, strict))))
