"""`custom`: the exercise's checker.py decides, run in the sandbox.

`python3 checker.py input expected actual` in /box, testlib-style exit codes:
0 AC, 1 WA, 2 WA (presentation), 7 partial with a fraction in [0, 1] on the
first stdout line. Anything else (another code, a crash, a limit) is IE for
the test, and logged: a broken checker never accepts.
"""

from __future__ import annotations

import logging
from fractions import Fraction

from languages import Runner, get_language
from runners.judging.checkers.outcome import Outcome
from runners.judging.checkers.sandboxed import message, python, python_request
from runners.judging.exercise.loader import Exercise
from sandbox import RunResult, Status

log = logging.getLogger(__name__)

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


def check(
    runner: Runner, exercise: Exercise, test: str, data: tuple[bytes, bytes, bytes]
) -> Outcome:
    """Run checker.py on (input, expected, actual) with `runner` (a Sandbox or SandboxPool)."""
    source = exercise.checker_path.read_bytes()
    given, expected, actual = data
    files = {"checker.py": source, "input": given, "expected": expected, "actual": actual}
    request = python_request(
        exercise,
        [python(), "-B", "run_checker.py", "checker.py", "input", "expected", "actual"],
        {**files, "run_checker.py": RUN_CHECKER.encode()},
        zygote=get_language("python").warm_argv(),  # the same interpreter, started ahead
    )
    result = runner.run(request)
    return interpret(result, f"{exercise.slug}/{test}")


def interpret(result: RunResult, where: str) -> Outcome:
    """The outcome a checker's run announces."""
    code = (
        result.exit_code if result.status in (Status.OK, Status.RE) and not result.signal else None
    )
    if code == ACCEPTED:
        return Outcome.accepted(message(result.stdout))
    if code in (WRONG, PRESENTATION):
        return Outcome.wrong(message(result.stdout))
    if code == PARTIAL:
        first, _, rest = result.stdout.partition(b"\n")
        fraction = parse_fraction(first)
        if fraction is not None:
            return Outcome.partial(fraction, message(rest))
        return broken(
            where, f"exit 7 without a fraction in [0, 1] on its first line: {first[:80]!r}"
        )
    detail = result.message or f"exit code {result.exit_code}, signal {result.signal}"
    stderr = result.stderr.decode(errors="replace")[-2000:]
    return broken(where, f"{result.status.value} ({detail}) {stderr}".strip())


def parse_fraction(line: bytes) -> Fraction | None:
    """'0.25', '1/4' or '1' as a fraction in [0, 1]; None otherwise."""
    try:
        value = Fraction(line.decode("ascii").strip())
    except (ValueError, ZeroDivisionError, UnicodeDecodeError):
        return None
    return value if 0 <= value <= 1 else None


def broken(where: str, why: str) -> Outcome:
    log.error("custom checker of %s failed: %s", where, why)
    return Outcome.internal_error(
        "The checker of this exercise failed (not your fault); it is logged."
    )
