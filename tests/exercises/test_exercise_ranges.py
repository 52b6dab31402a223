"""Limits and points within sane ranges: what would overflow a deadline, a byte count
or a sum is refused when the folder is loaded, with the key and the range."""

from __future__ import annotations

import pytest
from exercise_support import MakeFolder, basic

from runners.judging.exercise import ExerciseError, load_exercise


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[limits]\ntime = inf", "[limits] time: expected a number, got inf"),
        ("[limits]\ntime = nan", "[limits] time: expected a number, got nan"),
        ("[limits]\ntime = 1e-300", "[limits] time: must be from 0.001 to 3600, got 1e-300"),
        ("[limits]\ntime = 86400", "[limits] time: must be from 0.001 to 3600, got 86400"),
        ("[limits]\nwall_time = inf", "[limits] wall_time: expected a number, got inf"),
        ("[limits]\nwall_time = 1e9", "[limits] wall_time: must be from 0 to 10800, got"),
        ("[limits]\nmemory = 100000000000000000", "[limits] memory: must be from 8 to 1048576"),
        ("[limits]\nmemory = 4", "[limits] memory: must be from 8 to 1048576, got 4"),
        ("[checker]\ntime = 1e-300", "[checker] time: must be from 0.001 to 3600"),
        ('[checker]\nkind = "float"\ntolerance = inf', "[checker] tolerance: expected a number >="),
        ('[checker]\nkind = "float"\ntolerance = nan', "[checker] tolerance: expected a number >="),
        ("[scoring]\npoints = 1e308", "points: must be from 0.001 to 1000000, got 1e+308"),
        ("[scoring]\npoints = inf", "[scoring] points: expected a number, got inf"),
        ("[scoring]\npoints = nan", "[scoring] points: expected a number, got nan"),
        ('[[subtasks]]\ntests = ["*"]\npoints = 1e308', "[subtasks 1] points: must be from 0.001"),
    ],
)
def test_out_of_range_numbers_are_refused(make_folder: MakeFolder, toml: str, message: str) -> None:
    folder = make_folder(basic(f'title = "x"\n{toml}\n'))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert message in str(error.value)


def test_the_bounds_themselves_are_accepted(make_folder: MakeFolder) -> None:
    toml = 'title = "x"\n[limits]\ntime = 3600\nmemory = 1048576\n[scoring]\npoints = 1000000\n'
    exercise = load_exercise(make_folder(basic(toml)))
    assert (exercise.limits.time, exercise.limits.wall_time) == (3600.0, 10800.0)
    assert (exercise.limits.memory, exercise.max_score) == (1048576, 1_000_000.0)
