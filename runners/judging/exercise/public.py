"""What anyone may see of an exercise: never hidden test data, checkers or solutions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec

from runners.judging.exercise.loader import translation
from runners.judging.exercise.model import DEFAULT_LANGUAGE, CheckerKind, Exercise


class PublicLimits(msgspec.Struct, frozen=True):
    time: float  # CPU seconds per test
    wall_time: float  # seconds
    memory: int  # MiB


class Sample(msgspec.Struct, frozen=True):
    name: str
    input: str
    output: str


class PublicIO(msgspec.Struct, frozen=True):
    """`[io]`: the files a program reads its input from and writes its answer to."""

    input: str | None  # None: standard input
    output: str | None  # None: standard output


class PublicExercise(msgspec.Struct, frozen=True):
    slug: str
    title: str
    wording: str  # Markdown
    languages: list[str]
    limits: PublicLimits
    checker: CheckerKind
    max_score: float
    test_count: int
    samples: list[Sample]
    language: str = DEFAULT_LANGUAGE  # of `wording`
    translations: list[str] = msgspec.field(default_factory=list)  # other wording languages
    io: PublicIO = PublicIO(None, None)  # file tasks: where input and answer are


def public_view(exercise: Exercise) -> PublicExercise:
    limits = exercise.limits
    return PublicExercise(
        slug=exercise.slug,
        title=exercise.title,
        wording=exercise.wording,
        languages=list(exercise.languages),
        limits=PublicLimits(limits.time, limits.wall_time, limits.memory),
        checker=exercise.checker.kind,
        max_score=exercise.max_score,
        test_count=len(exercise.tests),
        samples=[
            Sample(t.name, _text(t.input), _text(t.output))
            for t in exercise.tests
            if t.sample and t.input and t.output
        ],
        translations=sorted(exercise.translations),
        io=PublicIO(exercise.io.input, exercise.io.output),
    )


def localized(public: PublicExercise, folder: Path, wanted: Sequence[str]) -> PublicExercise:
    """The view with the wording in the first language of `wanted` it exists in.

    `wanted` holds lowercase language tags, best first (`fr-ca`, `fr`, ...).
    The translation is read from the exercise's folder, the source of truth.
    """
    for language in wanted:
        if language == public.language:
            return public
        if language in public.translations:
            wording = translation(folder, language)
            if wording is not None:
                return msgspec.structs.replace(public, wording=wording, language=language)
    return public


def _text(path: Path | None) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path else ""
