"""Loading exercise folders: `exercise.toml` validated section by section.

A folder `<slug>/` holds `exercise.toml`, `wording.md`, `tests/`, and
optionally `checker.py`, `check.py`, `interactor.py`, `pre_check.py`,
`testenv/` and `solutions/` (see exercises/README.md). Every problem is
reported as an `ExerciseError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import logging
import re
from fnmatch import fnmatchcase
from fractions import Fraction
from pathlib import Path

from languages import all_languages
from runners.judging.exercise.io_names import read_io
from runners.judging.exercise.model import (
    DEFAULT_CHECKER_TIME,
    DEFAULT_MEMORY,
    DEFAULT_SAMPLES,
    DEFAULT_TIME,
    DEFAULT_TOLERANCE,
    MEMORY_RANGE,
    POINTS_RANGE,
    SCRIPT_TEST,
    SLUG,
    TIME_RANGE,
    WALL_TIME_MAX,
    CheckerConfig,
    CheckerKind,
    Exercise,
    ExerciseError,
    ExerciseLimits,
    Subtask,
    Test,
)
from runners.judging.exercise.table import Table, is_number, read_toml
from runners.judging.scoring import Scoring, plan

log = logging.getLogger(__name__)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")  # BCP 47, lowercase: fr, pt-br


def _languages(root: Table) -> tuple[str, ...]:
    """The languages accepted: the ones listed, by default every one available here."""
    known = all_languages()
    chosen = root.strings("languages", None)
    if chosen is None:
        return tuple(key for key, language in known.items() if language.available())
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise root.error(
            "languages", f"unknown language {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    return tuple(dict.fromkeys(chosen))


def _limits(root: Table) -> ExerciseLimits:
    table = root.table("limits")
    time = table.number("time", DEFAULT_TIME, *TIME_RANGE)
    assert time is not None
    wall_time = table.number("wall_time", 3 * time, 0.0, WALL_TIME_MAX)
    assert wall_time is not None
    if wall_time < time:
        raise table.error("wall_time", f"must be at least time ({time:g}), got {wall_time:g}")
    memory = table.integer("memory", DEFAULT_MEMORY, *MEMORY_RANGE, "MiB")
    table.finish()
    return ExerciseLimits(time, wall_time, memory)


def _checker(root: Table) -> CheckerConfig:
    table = root.table("checker")
    kinds = [kind.value for kind in CheckerKind]
    kind = CheckerKind(
        table.get("kind", lambda v: v in kinds, f"one of {', '.join(kinds)}", CheckerKind.LINES)
    )
    if "tolerance" in table.data and kind is not CheckerKind.FLOAT:
        raise table.error("tolerance", f"only used by the float checker, not {kind.value!r}")
    tolerance = table.get(
        "tolerance", lambda v: is_number(v) and v >= 0, "a number >= 0", DEFAULT_TOLERANCE
    )
    time = table.number("time", DEFAULT_CHECKER_TIME, *TIME_RANGE)
    assert time is not None
    table.finish()
    return CheckerConfig(kind, float(tolerance), time)


def _tests(folder: Path, samples: list[str]) -> tuple[Test, ...]:
    directory = folder / "tests"
    if not directory.is_dir():
        raise ExerciseError(f"{directory}: missing (it holds <name>.in and <name>.out pairs)")
    files = {p.name: p for p in directory.iterdir() if not p.name.startswith(".")}
    for name, path in sorted(files.items()):
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("in", "out") or not path.is_file():
            raise ExerciseError(
                f"{path}: not a test file (expected <name>.in and <name>.out files)"
            )
        other = f"{stem}.{'out' if suffix == 'in' else 'in'}"
        if other not in files:
            raise ExerciseError(f"{path}: has no matching {other}")
    names = sorted(name[:-3] for name in files if name.endswith(".in"))
    if not names:
        raise ExerciseError(f"{directory}: no tests (expected <name>.in and <name>.out pairs)")
    return tuple(
        Test(
            name,
            directory / f"{name}.in",
            directory / f"{name}.out",
            any(fnmatchcase(name, pattern) for pattern in samples),
        )
        for name in names
    )


def _subtasks(root: Table, tests: tuple[Test, ...]) -> tuple[Subtask, ...]:
    raw = root.get(
        "subtasks",
        lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v),
        "an array of tables [[subtasks]]",
        [],
    )
    names = [test.name for test in tests]
    subtasks = []
    for number, data in enumerate(raw, 1):
        table = Table(root.file, f"subtasks {number}", data)
        patterns = table.strings("tests", None)
        if patterns is None:
            raise table.error("tests", "missing (glob patterns over test names)")
        for pattern in patterns:
            if not any(fnmatchcase(name, pattern) for name in names):
                raise table.error("tests", f"pattern {pattern!r} matches no test")
        points = table.number("points", None, *POINTS_RANGE)
        if points is None:
            raise table.error("points", "missing")
        name = table.get(
            "name", lambda v: isinstance(v, str) and bool(v), "a string", f"subtask {number}"
        )
        stop = table.get("stop_on_failure", lambda v: isinstance(v, bool), "true or false", False)
        table.finish()
        matched = tuple(n for n in names if any(fnmatchcase(n, p) for p in patterns))
        subtasks.append(Subtask(name, matched, points, stop))
    return tuple(subtasks)


def _scoring(root: Table, tests: tuple[Test, ...], subtasks: tuple[Subtask, ...]) -> Scoring:
    table = root.table("scoring")
    points = table.number("points", None, *POINTS_RANGE)
    table.finish()
    try:
        return plan(
            [t.name for t in tests],
            None if points is None else Fraction(str(points)),
            [(s.tests, Fraction(str(s.points))) for s in subtasks],
        )
    except ValueError as error:
        raise table.error("points", str(error)) from None


# The files a kind of checker needs, and the ones only it may use.
NEEDED = {
    CheckerKind.CUSTOM: "checker.py",
    CheckerKind.SCRIPT: "check.py",
    CheckerKind.INTERACTIVE: "interactor.py",
}
SCRIPT_ONLY = ("pre_check.py", "testenv")


def _check_files(folder: Path, kind: CheckerKind) -> None:
    for needer, name in NEEDED.items():
        present = (folder / name).is_file()
        if kind is needer and not present:
            raise ExerciseError(f"{folder / name}: missing ([checker] kind is {kind.value!r})")
        if kind is not needer and present:
            raise ExerciseError(
                f"{folder / name}: only used when [checker] kind is {needer.value!r},"
                f" not {kind.value!r}"
            )
    for name in SCRIPT_ONLY:
        if kind is not CheckerKind.SCRIPT and (folder / name).exists():
            raise ExerciseError(f"{folder / name}: only used when [checker] kind is 'script'")
    if kind is CheckerKind.SCRIPT and (folder / "tests").exists():
        raise ExerciseError(
            f"{folder / 'tests'}: a script check runs check.py once; put its data in testenv/"
        )


def _check_interactor_time(root: Table, checker: CheckerConfig, limits: ExerciseLimits) -> None:
    """The interactor must be able to outlast the program it talks with."""
    if checker.kind is CheckerKind.INTERACTIVE and checker.time < limits.time:
        raise ExerciseError(
            f"{root.file}: [checker] time: the interactor's CPU time ({checker.time:g} s) must be"
            f" at least the program's ([limits] time = {limits.time:g} s)"
        )


def load_exercise(path: Path) -> Exercise:
    """The exercise in folder `path`; raises ExerciseError when anything is wrong."""
    folder = Path(path)
    if not folder.is_dir():
        raise ExerciseError(f"{folder}: not an exercise folder")
    if not SLUG.fullmatch(folder.name):
        raise ExerciseError(
            f"{folder}: the folder name is the slug: lowercase letters, digits, - and _"
        )
    root = read_toml(folder / "exercise.toml")
    title = root.get(
        "title", lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string", None
    )
    if title is None:
        raise root.error("title", "missing")
    languages = _languages(root)
    limits = _limits(root)
    checker = _checker(root)
    _check_interactor_time(root, checker, limits)
    io = read_io(root, checker.kind)
    samples = root.table("tests")
    patterns = samples.strings("samples", list(DEFAULT_SAMPLES))
    samples.finish()
    _check_files(folder, checker.kind)
    if checker.kind is CheckerKind.SCRIPT:
        tests: tuple[Test, ...] = (Test(SCRIPT_TEST, None, None, False),)
    else:
        tests = _tests(folder, patterns or [])
    subtasks = _subtasks(root, tests)
    scoring = _scoring(root, tests, subtasks)
    root.finish()
    try:
        wording = (folder / "wording.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExerciseError(f"{folder / 'wording.md'}: cannot be read ({error})") from None
    return Exercise(
        folder.name,
        folder,
        title.strip(),
        wording,
        languages,
        limits,
        checker,
        tests,
        subtasks,
        scoring,
        io=io,
        translations=translations(folder),
    )


def translations(folder: Path) -> dict[str, str]:
    """The wording's translations: `wording.<lang>.md` files, by language tag (`fr`, `pt-br`)."""
    found = {}
    for path in sorted(folder.glob("wording.*.md")):
        language = path.name.removeprefix("wording.").removesuffix(".md")
        if not LANGUAGE_TAG.fullmatch(language):
            raise ExerciseError(
                f"{path}: a translation is named wording.<lang>.md, with a lowercase"
                " language tag like fr or pt-br"
            )
        found[language] = _read_wording(path)
    return found


def translation(folder: Path, language: str) -> str | None:
    """The wording in `language` from its `wording.<lang>.md`, if there is one that reads."""
    if not LANGUAGE_TAG.fullmatch(language):
        return None
    try:
        return _read_wording(folder / f"wording.{language}.md")
    except ExerciseError:
        return None


def _read_wording(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExerciseError(f"{path}: cannot be read ({error})") from None


def exercise_folders(root: Path) -> list[Path]:
    """The exercise folders under `root`, by name (hidden and `_` folders skipped)."""
    return sorted(
        p for p in Path(root).iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    )


def load_exercises(root: Path, errors: list[ExerciseError] | None = None) -> dict[str, Exercise]:
    """Every valid exercise under `root` by slug; broken ones are logged and added to `errors`."""
    exercises = {}
    for folder in exercise_folders(root):
        try:
            exercises[folder.name] = load_exercise(folder)
        except ExerciseError as error:
            log.warning("skipping exercise: %s", error)
            if errors is not None:
                errors.append(error)
    return exercises


def find_exercise(path_or_slug: str, root: Path) -> Exercise:
    """The exercise in folder `path_or_slug`, else the one of that slug under `root`."""
    path = Path(path_or_slug)
    if path.is_dir():
        return load_exercise(path)
    if SLUG.fullmatch(path_or_slug) and (root / path_or_slug).is_dir():
        return load_exercise(root / path_or_slug)
    raise ExerciseError(f"{path_or_slug}: no such exercise folder, nor exercise slug in {root}")
