"""Loading and validating exercise folders: precise errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from exercise_support import MakeFolder, basic

from runners.judging.exercise import (
    ExerciseError,
    find_exercise,
    load_exercise,
    load_exercises,
    public_view,
)


def test_defaults(make_folder: MakeFolder) -> None:
    exercise = load_exercise(make_folder(basic()))
    assert exercise.slug == "demo"
    assert exercise.title == "Demo"
    assert exercise.wording == "# Demo\n"
    assert exercise.limits.time == 1.0
    assert exercise.limits.wall_time == 3.0
    assert exercise.limits.memory == 256
    assert exercise.checker.kind == "lines"
    assert exercise.test_names == ("1-sample", "2-hidden")
    assert [t.sample for t in exercise.tests] == [True, False]
    assert exercise.max_score == 100
    assert "python" in exercise.languages


def test_every_key(make_folder: MakeFolder) -> None:
    toml = """
title = "Full"
languages = ["c", "python"]
[limits]
time = 0.5
wall_time = 4
memory = 64
[checker]
kind = "float"
tolerance = 1e-3
[tests]
samples = ["2-*"]
[scoring]
points = 50
[[subtasks]]
tests = ["2-*"]
points = 30
name = "hidden"
stop_on_failure = true
"""
    exercise = load_exercise(make_folder(basic(toml)))
    assert exercise.languages == ("c", "python")
    assert (exercise.limits.time, exercise.limits.wall_time, exercise.limits.memory) == (0.5, 4, 64)
    assert (exercise.checker.kind, exercise.checker.tolerance) == ("float", 1e-3)
    assert [t.sample for t in exercise.tests] == [False, True]
    assert exercise.max_score == 50
    (subtask,) = exercise.subtasks
    assert (subtask.name, subtask.tests, subtask.stop_on_failure) == ("hidden", ("2-hidden",), True)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("", "exercise.toml: title: missing"),
        ("title = 3", "exercise.toml: title: expected a non-empty string, got 3"),
        ('title = "x"\nlanguage = ["c"]', "exercise.toml: language: unknown key"),
        ('title = "x"\nlanguages = ["cobol"]', "languages: unknown language 'cobol'"),
        ('title = "x"\nlanguages = []', "languages: expected a non-empty list of strings"),
        ('title = "x"\n[limits]\ntime = "fast"', "[limits] time: expected a number, got 'fast'"),
        ('title = "x"\n[limits]\ntime = -1', "[limits] time: must be from 0.001 to 3600, got -1"),
        (
            'title = "x"\n[limits]\ntime = 2\nwall_time = 1',
            "[limits] wall_time: must be at least time",
        ),
        ('title = "x"\n[limits]\nmemory = 1.5', "[limits] memory: expected a whole number of MiB"),
        ('title = "x"\n[checker]\nkind = "regex"', "[checker] kind: expected one of exact, lines"),
        ('title = "x"\n[checker]\ntolerance = 0.1', "[checker] tolerance: only used by the float"),
        ('title = "x"\n[scoring]\npoints = 0', "[scoring] points: must be from 0.001 to 1000000"),
        ('title = "x"\n[[subtasks]]\npoints = 5', "[subtasks 1] tests: missing"),
        ('title = "x"\n[[subtasks]]\ntests = ["9-*"]\npoints = 5', "pattern '9-*' matches no test"),
        ('title = "x"\n[[subtasks]]\ntests = ["*"]', "[subtasks 1] points: missing"),
        (
            'title = "x"\n[scoring]\npoints = 10\n[[subtasks]]\ntests = ["*"]\npoints = 20',
            "[scoring] points: the subtasks give 20 points, more than the total 10",
        ),
        ('title = "x"\n[limits', "exercise.toml: invalid TOML"),
    ],
)
def test_broken_toml(make_folder: MakeFolder, toml: str, message: str) -> None:
    folder = make_folder(basic(toml))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert message in str(error.value)
    assert str(folder) in str(error.value)


@pytest.mark.parametrize(
    ("files", "removed", "message"),
    [
        ({"tests/3.in": "x"}, None, "tests/3.in: has no matching 3.out"),
        ({"tests/notes.txt": "x"}, None, "tests/notes.txt: not a test file"),
        ({"checker.py": "pass"}, None, "checker.py: only used when [checker] kind is 'custom'"),
        ({"check.py": "pass"}, None, "check.py: only used when [checker] kind is 'script'"),
        ({}, "wording.md", "wording.md: cannot be read"),
        ({}, "exercise.toml", "exercise.toml: missing"),
    ],
)
def test_broken_folder(
    make_folder: MakeFolder, files: dict[str, str], removed: str | None, message: str
) -> None:
    folder = make_folder(basic(**files))
    if removed:
        (folder / removed).unlink()
    with pytest.raises(ExerciseError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_exercise(folder)


def test_custom_needs_checker_and_script_needs_check(make_folder: MakeFolder) -> None:
    custom = make_folder(basic('title = "x"\n[checker]\nkind = "custom"'), "custom")
    with pytest.raises(ExerciseError, match=r"checker\.py: missing"):
        load_exercise(custom)
    script = make_folder(
        {"exercise.toml": 'title = "x"\n[checker]\nkind = "script"\n', "wording.md": "x"}, "script"
    )
    with pytest.raises(ExerciseError, match=r"check\.py: missing"):
        load_exercise(script)
    (script / "check.py").write_text("pass\n")
    assert load_exercise(script).test_names == ("check",)


def test_load_exercises_skips_and_reports_broken_ones(make_folder: MakeFolder) -> None:
    make_folder(basic(), "good")
    make_folder(basic("title = 1"), "bad")
    errors: list[ExerciseError] = []
    found = load_exercises(make_folder(basic(), "good").parent, errors)
    assert list(found) == ["good"]
    assert len(errors) == 1 and "bad" in str(errors[0])


def test_find_exercise_by_path_or_slug(make_folder: MakeFolder) -> None:
    folder = make_folder(basic())
    assert find_exercise(str(folder), Path("/nonexistent")).slug == "demo"
    assert find_exercise("demo", folder.parent).slug == "demo"
    with pytest.raises(ExerciseError, match="no such exercise"):
        find_exercise("missing", folder.parent)


def test_public_view_hides_hidden_tests(make_folder: MakeFolder) -> None:
    public = msgspec.to_builtins(public_view(load_exercise(make_folder(basic()))))
    assert public["test_count"] == 2
    assert public["samples"] == [{"name": "1-sample", "input": "1\n", "output": "1\n"}]
    assert "secret" not in str(public)
    assert set(public) == {
        "slug",
        "title",
        "wording",
        "languages",
        "limits",
        "checker",
        "max_score",
        "test_count",
        "samples",
        "language",
        "translations",
        "io",
    }


def test_translations_beside_the_wording(make_folder: MakeFolder) -> None:
    folder = make_folder(basic(**{"wording.fr.md": "# Démo\n", "wording.pt-br.md": "# Demo\n"}))
    exercise = load_exercise(folder)
    assert exercise.translations == {"fr": "# Démo\n", "pt-br": "# Demo\n"}
    assert public_view(exercise).translations == ["fr", "pt-br"]
    (folder / "wording.French.md").write_text("# Démo\n")
    with pytest.raises(ExerciseError, match=r"wording.French.md: a translation is named"):
        load_exercise(folder)
