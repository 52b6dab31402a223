"""`script`: the exercise's check.py judges the submission as a whole (HackInScience style).

check.py runs with `python3 -u` in /box beside the submitted file
`solution.<ext>`, the built program (for compiled languages), the helper module
`judge_check.py`, and the files of `testenv/`. When the exercise has a
`pre_check.py` (HackInScience), it runs first in the same sandbox and the
source is also written as plain `solution`, as HackInScience does; a failing
pre_check fails the check. Exit 0 passes, anything else fails; stdout is the
Markdown message for the student.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from languages import Program
from runners.judging.checkers.base import Checker, Context
from runners.judging.checkers.judgement import Judgement
from runners.judging.checkers.sandboxed import message, python, python_request
from runners.judging.exercise import Exercise, Test
from runners.judging.verdict import Verdict
from sandbox import RunResult, Status

HELPER = Path(__file__).resolve().parent.parent / "checkhelper" / "judge_check.py"


def files(exercise: Exercise, program: Program, source: bytes) -> dict[str, bytes]:
    """What /box holds for the check, besides the program's own files."""
    found = {"judge_check.py": HELPER.read_bytes(), "check.py": exercise.check_path.read_bytes()}
    if exercise.testenv.is_dir():
        for path in sorted(exercise.testenv.rglob("*")):
            if path.is_file():
                found[path.relative_to(exercise.testenv).as_posix()] = path.read_bytes()
    found[program.language.source_name] = source
    if exercise.pre_check_path.is_file():
        found["pre_check.py"] = exercise.pre_check_path.read_bytes()
        found["solution"] = source
    return found


def command(exercise: Exercise) -> list[str]:
    if exercise.pre_check_path.is_file():
        return ["/bin/sh", "-c", f"{python()} -u pre_check.py && exec {python()} -u check.py"]
    return [python(), "-u", "check.py"]


class Script(Checker):
    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        """Run the check (the exercise's single test) on the whole submission."""
        exercise, program = context.exercise, context.program
        env = {
            "JUDGE_PROGRAM": json.dumps(list(program.argv)),
            "JUDGE_LANGUAGE": program.language.id,
            "JUDGE_SOLUTION": program.language.source_name,
            "JUDGE_TIME_LIMIT": str(exercise.limits.time),
            "JUDGE_MEMORY_LIMIT": str(exercise.limits.memory),
        }
        sources = files(exercise, program, context.source)
        request = python_request(exercise, command(exercise), sources, program, env)
        result = context.runner.run(request)
        return interpret(result), result


def interpret(result: RunResult) -> Judgement:
    text = message(result.stdout)
    if result.status is Status.OK:
        return Judgement.accepted(text)
    if result.status is Status.RE:
        return Judgement.wrong(text or "The check failed (it printed no explanation).")
    limit = result.message or result.status.value
    note = f"The check stopped: {limit}. Does your code loop forever or use too much?"
    return Judgement(Verdict(result.status.value), Fraction(0), f"{text}\n\n{note}".strip())
