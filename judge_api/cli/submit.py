"""`judge submit SOURCE --exercise PATH_OR_SLUG`: judge a source against one exercise locally."""

from __future__ import annotations

import argparse
import sys

import msgspec

from languages import UnknownLanguage, get_language, language_for_path
from runners.judging.exercise import ExerciseError, find_exercise
from runners.judging.pipeline import LanguageNotAllowed, judge
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from runners.settings import settings
from sandbox import Sandbox


def main(args: argparse.Namespace) -> int:
    config = settings()
    try:
        exercise = find_exercise(args.exercise, config.exercises_dir)
        language = get_language(args.language) if args.language else language_for_path(args.source)
        source = args.source.read_bytes()
    except (ExerciseError, UnknownLanguage) as error:
        return usage(str(error))
    except OSError as error:
        return usage(f"cannot read {args.source}: {error.strerror}")
    try:
        with Sandbox() as box:
            on_test = None if args.json else show_test
            cache = config.compile_cache()
            result = judge(exercise, language.id, source, box, on_test, cache=cache)
    except LanguageNotAllowed as error:
        return usage(str(error))
    if args.json:
        sys.stdout.buffer.write(msgspec.json.encode(result) + b"\n")
    else:
        show(result)
    return 0 if result.verdict is Verdict.AC else 1


def usage(message: str) -> int:
    print(f"judge submit: {message}", file=sys.stderr)
    return 2


def show_test(test: TestResult) -> None:
    line = (
        f"{test.name:<16} {test.verdict.value:<4} {test.time:6.3f} s"
        f" {test.memory / 2**20:7.1f} MiB {test.points:8g} pts"
    )
    message = test.message.strip()
    print(line + (f"  {message.splitlines()[0]}" if message else ""), flush=True)
    for extra in message.splitlines()[1:]:
        print(f"    {extra}")


def show(result: SubmissionResult) -> None:
    if result.compile_output:
        print(result.compile_output.rstrip())
    print(f"verdict {result.verdict.value}, score {result.score:g}/{result.max_score:g}")
