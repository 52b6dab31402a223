"""Exercise folders: loading, validation and the public view.

A folder `<slug>/` holds `exercise.toml`, `wording.md`, `tests/`, and
optionally `checker.py`, `check.py`, `pre_check.py`, `testenv/` and
`solutions/` (see exercises/README.md). Every problem is reported as an
`ExerciseError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from fractions import Fraction
from pathlib import Path
from typing import Any

from languages import all_languages
from runners.judging.scoring import Scoring, plan

log = logging.getLogger(__name__)

CHECKER_KINDS = ("exact", "lines", "tokens", "float", "custom", "script")
SCRIPT_TEST = "check"  # the one test of a `script` exercise
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
DEFAULT_TIME = 1.0  # CPU seconds per test
DEFAULT_MEMORY = 256  # MiB
DEFAULT_TOLERANCE = 1e-6
DEFAULT_CHECKER_TIME = 10.0  # CPU seconds for checker.py or check.py
DEFAULT_SAMPLES = ["*sample*"]  # tests whose data may be shown


class ExerciseError(ValueError):
    """A broken exercise folder; the message names the file, key and problem."""


@dataclass(frozen=True)
class ExerciseLimits:
    """Per test: CPU seconds, wall seconds, memory in MiB."""

    time: float
    wall_time: float
    memory: int


@dataclass(frozen=True)
class CheckerConfig:
    kind: str
    tolerance: float  # float checker only
    time: float  # CPU seconds for checker.py or check.py


@dataclass(frozen=True)
class Subtask:
    name: str
    tests: tuple[str, ...]  # names matched by its patterns, in order
    points: float
    stop_on_failure: bool  # skip the rest of the subtask after its first failed test


@dataclass(frozen=True)
class Test:
    __test__ = False  # not a pytest test class

    name: str
    input: Path | None  # None for the single test of a script exercise
    output: Path | None
    sample: bool  # data may be shown to students


@dataclass(frozen=True)
class Sample:
    name: str
    input: str
    output: str


@dataclass(frozen=True)
class PublicExercise:
    """What anyone may see: never hidden test data, checkers or solutions."""

    slug: str
    title: str
    wording: str
    languages: tuple[str, ...]
    limits: ExerciseLimits
    checker: str
    max_score: float
    test_count: int
    samples: tuple[Sample, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "wording": self.wording,
            "languages": list(self.languages),
            "limits": {
                "time": self.limits.time,
                "wall_time": self.limits.wall_time,
                "memory": self.limits.memory,
            },
            "checker": self.checker,
            "max_score": self.max_score,
            "test_count": self.test_count,
            "samples": [
                {"name": s.name, "input": s.input, "output": s.output} for s in self.samples
            ],
        }


@dataclass(frozen=True)
class Exercise:
    slug: str
    path: Path
    title: str
    wording: str
    languages: tuple[str, ...]
    limits: ExerciseLimits
    checker: CheckerConfig
    tests: tuple[Test, ...]
    subtasks: tuple[Subtask, ...]
    scoring: Scoring = field(repr=False, compare=False)

    @property
    def max_score(self) -> float:
        return float(self.scoring.max_score)

    @property
    def test_names(self) -> tuple[str, ...]:
        return tuple(test.name for test in self.tests)

    @property
    def checker_path(self) -> Path:
        return self.path / "checker.py"

    @property
    def check_path(self) -> Path:
        return self.path / "check.py"

    @property
    def pre_check_path(self) -> Path:
        return self.path / "pre_check.py"

    @property
    def testenv(self) -> Path:
        return self.path / "testenv"

    @property
    def solutions_dir(self) -> Path:
        return self.path / "solutions"

    def public(self) -> PublicExercise:
        samples = tuple(
            Sample(t.name, _text(t.input), _text(t.output))
            for t in self.tests
            if t.sample and t.input and t.output
        )
        return PublicExercise(
            slug=self.slug,
            title=self.title,
            wording=self.wording,
            languages=self.languages,
            limits=self.limits,
            checker=self.checker.kind,
            max_score=self.max_score,
            test_count=len(self.tests),
            samples=samples,
        )


def _text(path: Path | None) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path else ""


class _Table:
    """One TOML table being validated: typed reads with precise errors, unknown keys refused."""

    def __init__(self, file: Path, name: str, data: Mapping[str, Any]) -> None:
        self.file, self.name, self.data = file, name, data
        self.seen: set[str] = set()

    def error(self, key: str, problem: str) -> ExerciseError:
        where = f"[{self.name}] {key}" if self.name else key
        return ExerciseError(f"{self.file}: {where}: {problem}")

    def get(self, key: str, check: Callable[[Any], bool], expected: str, default: Any) -> Any:
        self.seen.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        if not check(value):
            raise self.error(key, f"expected {expected}, got {value!r}")
        return value

    def number(self, key: str, default: float | None, minimum: float = 0.0) -> float | None:
        value = self.get(key, _is_number, "a number", default)
        if value is not None and not value > minimum:
            raise self.error(key, f"must be more than {minimum:g}, got {value!r}")
        return None if value is None else float(value)

    def strings(self, key: str, default: list[str] | None) -> list[str] | None:
        value: list[str] | None = self.get(
            key, _is_string_list, "a non-empty list of strings", default
        )
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(unknown[0], f"unknown key (known: {', '.join(sorted(self.seen))})")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _table(parent: _Table, key: str) -> _Table:
    value = parent.get(key, lambda v: isinstance(v, dict), f"a table [{key}]", {})
    return _Table(parent.file, key, value)


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseError(
            f"{file}: missing (every exercise needs one, with at least a title)"
        ) from None
    except UnicodeDecodeError as error:
        raise ExerciseError(f"{file}: not UTF-8 ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ExerciseError(f"{file}: invalid TOML: {error}") from None


def _languages(root: _Table) -> tuple[str, ...]:
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


def _limits(root: _Table) -> ExerciseLimits:
    table = _table(root, "limits")
    time = table.number("time", DEFAULT_TIME)
    assert time is not None
    wall_time = table.number("wall_time", 3 * time)
    assert wall_time is not None
    if wall_time < time:
        raise table.error("wall_time", f"must be at least time ({time:g}), got {wall_time:g}")
    memory = table.get(
        "memory",
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 8,
        "a whole number of MiB, at least 8",
        DEFAULT_MEMORY,
    )
    table.finish()
    return ExerciseLimits(time, wall_time, memory)


def _checker(root: _Table) -> CheckerConfig:
    table = _table(root, "checker")
    kind = table.get(
        "kind", lambda v: v in CHECKER_KINDS, f"one of {', '.join(CHECKER_KINDS)}", "lines"
    )
    if "tolerance" in table.data and kind != "float":
        raise table.error("tolerance", f"only used by the float checker, not {kind!r}")
    tolerance = table.get(
        "tolerance", lambda v: _is_number(v) and v >= 0, "a number >= 0", DEFAULT_TOLERANCE
    )
    time = table.number("time", DEFAULT_CHECKER_TIME)
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


def _subtasks(root: _Table, tests: tuple[Test, ...]) -> tuple[Subtask, ...]:
    raw = root.get(
        "subtasks",
        lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v),
        "an array of tables [[subtasks]]",
        [],
    )
    names = [test.name for test in tests]
    subtasks = []
    for number, data in enumerate(raw, 1):
        table = _Table(root.file, f"subtasks {number}", data)
        patterns = table.strings("tests", None)
        if patterns is None:
            raise table.error("tests", "missing (glob patterns over test names)")
        for pattern in patterns:
            if not any(fnmatchcase(name, pattern) for name in names):
                raise table.error("tests", f"pattern {pattern!r} matches no test")
        points = table.number("points", None)
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


def _scoring(root: _Table, tests: tuple[Test, ...], subtasks: tuple[Subtask, ...]) -> Scoring:
    table = _table(root, "scoring")
    points = table.number("points", None)
    table.finish()
    try:
        return plan(
            [t.name for t in tests],
            None if points is None else Fraction(str(points)),
            [(s.tests, Fraction(str(s.points))) for s in subtasks],
        )
    except ValueError as error:
        raise table.error("points", str(error)) from None


def _check_files(folder: Path, kind: str) -> None:
    needs = {"custom": "checker.py", "script": "check.py"}
    for file_kind, name in needs.items():
        present = (folder / name).is_file()
        if kind == file_kind and not present:
            raise ExerciseError(f"{folder / name}: missing ([checker] kind is {kind!r})")
        if kind != file_kind and present:
            raise ExerciseError(
                f"{folder / name}: only used when [checker] kind is {file_kind!r}, not {kind!r}"
            )
    for name in ("pre_check.py", "testenv"):
        if kind != "script" and (folder / name).exists():
            raise ExerciseError(f"{folder / name}: only used when [checker] kind is 'script'")
    if kind == "script" and (folder / "tests").exists():
        raise ExerciseError(
            f"{folder / 'tests'}: a script check runs check.py once; put its data in testenv/"
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
    toml = folder / "exercise.toml"
    root = _Table(toml, "", _read_toml(toml))
    title = root.get(
        "title", lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string", None
    )
    if title is None:
        raise root.error("title", "missing")
    languages = _languages(root)
    limits = _limits(root)
    checker = _checker(root)
    samples = _table(root, "tests")
    patterns = samples.strings("samples", DEFAULT_SAMPLES)
    samples.finish()
    _check_files(folder, checker.kind)
    if checker.kind == "script":
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
    )


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
