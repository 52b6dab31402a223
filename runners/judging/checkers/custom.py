"""`custom`: the exercise's checker.py decides, run in the sandbox.

`python3 checker.py input expected actual` in /box, testlib-style exit codes:
0 AC, 1 WA, 2 WA (presentation), 7 partial with a fraction in [0, 1] on the
first stdout line. Anything else (another code, a crash, a limit) is IE for
the test, and logged: a broken checker never accepts.
"""

from __future__ import annotations

from fractions import Fraction

from languages import get_language
from runners.judging.checkers.base import Context
from runners.judging.checkers.judgement import Judgement
from runners.judging.checkers.output import OutputChecker
from runners.judging.checkers.sandboxed import message, python, python_request
from runners.judging.exercise import Test
from runners.judging.failure import JudgeFailure
from sandbox import RunResult, Status

ACCEPTED, WRONG, PRESENTATION, PARTIAL = 0, 1, 2, 7
CRASHED = 70  # set by RUN_CHECKER: Python's own exit code for a crash (1) means WA here

# Runs checker.py as __main__, telling an uncaught exception apart from `sys.exit(1)`.
RUN_CHECKER = f"""\
import os, runpy, sys, traceback
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit({CRASHED})
"""


class Custom(OutputChecker):
    def check(self, context: Context, test: Test, expected: bytes, actual: bytes) -> Judgement:
        """Run checker.py on (input, expected, actual) in the sandbox."""
        exercise = context.exercise
        assert test.input is not None
        files = {
            "checker.py": exercise.checker_path.read_bytes(),
            "input": test.input.read_bytes(),
            "expected": expected,
            "actual": actual,
            "run_checker.py": RUN_CHECKER.encode(),
        }
        request = python_request(
            exercise,
            [python(), "-B", "run_checker.py", "checker.py", "input", "expected", "actual"],
            files,
            zygote=get_language("python").warm_argv(),  # the same interpreter, started ahead
        )
        return interpret(context.runner.run(request), f"{exercise.slug}/{test.name}")


def interpret(result: RunResult, where: str) -> Judgement:
    """The outcome a checker's run announces."""
    code = (
        result.exit_code if result.status in (Status.OK, Status.RE) and not result.signal else None
    )
    if code == ACCEPTED:
        return Judgement.accepted(message(result.stdout))
    if code in (WRONG, PRESENTATION):
        return Judgement.wrong(message(result.stdout))
    if code == PARTIAL:
        first, _, rest = result.stdout.partition(b"\n")
        fraction = parse_fraction(first)
        if fraction is not None:
            return Judgement.partial(fraction, message(rest))
        raise broken(
            where, f"exit 7 without a fraction in [0, 1] on its first line: {first[:80]!r}"
        )
    detail = result.message or f"exit code {result.exit_code}, signal {result.signal}"
    stderr = result.stderr.decode(errors="replace")[-2000:]
    raise broken(where, f"{result.status.value} ({detail}) {stderr}".strip())


def parse_fraction(line: bytes) -> Fraction | None:
    """'0.25', '1/4' or '1' as a fraction in [0, 1]; None otherwise."""
    try:
        value = Fraction(line.decode("ascii").strip())
    except (ValueError, ZeroDivisionError, UnicodeDecodeError):
        return None
    return value if 0 <= value <= 1 else None


def broken(where: str, why: str) -> JudgeFailure:
    return JudgeFailure(f"custom checker of {where} failed: {why}")
