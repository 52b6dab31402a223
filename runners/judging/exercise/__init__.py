"""Exercises: the model, loading and validating folders, and the public view."""

from runners.judging.exercise.loader import (
    exercise_folders,
    find_exercise,
    load_exercise,
    load_exercises,
)
from runners.judging.exercise.model import (
    SLUG,
    CheckerConfig,
    CheckerKind,
    Exercise,
    ExerciseError,
    ExerciseIO,
    ExerciseLimits,
    Subtask,
    Test,
)
from runners.judging.exercise.public import PublicExercise, localized, public_view

__all__ = [
    "SLUG",
    "CheckerConfig",
    "CheckerKind",
    "Exercise",
    "ExerciseError",
    "ExerciseIO",
    "ExerciseLimits",
    "PublicExercise",
    "Subtask",
    "Test",
    "exercise_folders",
    "find_exercise",
    "load_exercise",
    "load_exercises",
    "localized",
    "public_view",
]
