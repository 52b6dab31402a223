"""Exercises loaded once, and again only once their folder changed; provisional points
computed test by test agree with the whole computation."""

from __future__ import annotations

import os
import random
from fractions import Fraction

import pytest
from exercise_support import MakeFolder, basic

from runners.judging.exercise import ExerciseError
from runners.judging.exercise.cache import ExerciseCache
from runners.judging.scoring import Tally, plan


def test_an_unchanged_folder_is_not_loaded_again(make_folder: MakeFolder) -> None:
    folder = make_folder(basic())
    cache = ExerciseCache()
    assert cache.load(folder) is cache.load(folder)


def touch_later(path: os.PathLike[str]) -> None:
    """Change a file's times for sure, however coarse the file system's clock."""
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


@pytest.mark.parametrize("change", ["edit", "add a test", "remove a test", "add a checker"])
def test_a_change_to_the_folder_loads_it_again(make_folder: MakeFolder, change: str) -> None:
    folder = make_folder(basic())
    cache = ExerciseCache()
    before = cache.load(folder)
    if change == "edit":
        (folder / "exercise.toml").write_text('title = "Renamed"\n')
        touch_later(folder / "exercise.toml")
    elif change == "add a test":
        (folder / "tests" / "3-more.in").write_text("3\n")
        (folder / "tests" / "3-more.out").write_text("3\n")
        touch_later(folder / "tests")
    elif change == "remove a test":
        (folder / "tests" / "2-hidden.in").unlink()
        (folder / "tests" / "2-hidden.out").unlink()
        touch_later(folder / "tests")
    else:
        (folder / "exercise.toml").write_text('title = "Demo"\n[checker]\nkind = "custom"\n')
        (folder / "checker.py").write_text("raise SystemExit(0)\n")
        touch_later(folder)
    after = cache.load(folder)
    assert after is not before
    assert (after.title, after.test_names, after.checker.kind) != (
        before.title,
        before.test_names,
        before.checker.kind,
    )


def test_a_broken_folder_is_reported_every_time(make_folder: MakeFolder) -> None:
    folder = make_folder(basic('title = "Demo"\n[limits]\ntime = "fast"\n'))
    cache = ExerciseCache()
    for _ in range(2):
        with pytest.raises(ExerciseError):
            cache.load(folder)
    with pytest.raises(ExerciseError):
        cache.load(folder.parent / "missing")


def test_tally_agrees_with_the_whole_computation() -> None:
    tests = [f"{group}-{n}" for group in "abc" for n in range(4)]
    subtasks = [(("a-0", "a-1", "a-2", "a-3"), Fraction(30)), (("b-1", "c-2"), Fraction(20))]
    scoring = plan(tests, Fraction(100), subtasks)
    chance = random.Random(7)
    for _ in range(50):
        tally, outcomes = Tally(scoring), {}
        for test in tests:
            outcomes[test] = chance.choice([Fraction(1), Fraction(0), Fraction(1, 3)])
            assert tally.record(test, outcomes[test]) == scoring.earned(outcomes)[test]
