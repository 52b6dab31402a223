"""`judge submit SOURCE --exercise PATH_OR_SLUG`: judge a source against one exercise locally."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from languages import UnknownLanguage, get_language, language_for_path
from runners.judging.exercise.loader import ExerciseError, find_exercise
from runners.judging.pipeline import LanguageNotAllowed, judge
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from runners.settings import settings
from sandbox import Sandbox


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "submit", help="judge a source against an exercise, locally", description=__doc__
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument(
        "--exercise",
        required=True,
        metavar="PATH_OR_SLUG",
        help="an exercise folder, or a slug in the exercises folder",
    )
    parser.add_argument("--language", help="language id (default: from the extension)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    try:
        exercise = find_exercise(args.exercise, settings().exercises_dir)
        language = get_language(args.language) if args.language else language_for_path(args.source)
        source = args.source.read_bytes()
    except (ExerciseError, UnknownLanguage) as error:
        return usage(str(error))
    except OSError as error:
        return usage(f"cannot read {args.source}: {error.strerror}")
    try:
        with Sandbox() as box:
            result = judge(exercise, language.id, source, box, None if args.json else show_test)
    except LanguageNotAllowed as error:
        return usage(str(error))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
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
