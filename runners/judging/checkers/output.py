"""Checkers that run the program on a test's input, then decide on its output."""

from __future__ import annotations

import logging
import signal
from abc import abstractmethod
from collections.abc import Callable
from fractions import Fraction

from runners.judging.checkers.base import Checker, Context
from runners.judging.checkers.io_files import answer, with_io_files
from runners.judging.checkers.judgement import Judgement
from runners.judging.exercise import Exercise, Test
from runners.judging.verdict import Verdict
from sandbox import Limits, MiB, RunResult, Status

log = logging.getLogger(__name__)

STDERR_SHOWN = 1000  # characters of a sample's stderr shown after a crash
# compare(expected, actual, tolerance, show) -> Judgement; `show`: the test's data may be shown
Compare = Callable[[bytes, bytes, float, bool], Judgement]


class OutputChecker(Checker):
    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        assert test.input is not None and test.output is not None
        expected = test.output.read_bytes()
        limits = limits_for(context.exercise, len(expected))
        request = context.program.request(test.input, limits)
        run = context.runner.run(with_io_files(request, context.exercise.io, test.input))
        if run.status is not Status.OK:
            why = run_message(run, test, context.exercise)
            return Judgement(Verdict(run.status.value), Fraction(0), why), run
        actual = answer(run, context.exercise.io, limits)
        if isinstance(actual, Judgement):
            return actual, run
        return self.check(context, test, expected, actual), run

    @abstractmethod
    def check(self, context: Context, test: Test, expected: bytes, actual: bytes) -> Judgement:
        """Whether `actual`, the program's whole output (or output file), answers `test`."""


class Comparison(OutputChecker):
    """Compares outputs in the judge's own process (exact, lines, tokens, float)."""

    def __init__(self, compare: Compare) -> None:
        self.compare = compare

    def check(self, context: Context, test: Test, expected: bytes, actual: bytes) -> Judgement:
        return self.compare(expected, actual, context.exercise.checker.tolerance, test.sample)


def limits_for(exercise: Exercise, expected_size: int) -> Limits:
    """The sandbox limits of one test: the whole output is kept, for the checker."""
    output = max(Limits().output, 2 * expected_size + 4096)
    return Limits(
        cpu_time=exercise.limits.time,
        wall_time=exercise.limits.wall_time,
        memory=exercise.limits.memory * MiB,
        output=output,
        output_kept=output,
    )


def run_message(run: RunResult, test: Test, exercise: Exercise) -> str:
    """Why a run failed, for the student (its stderr only for samples: it could leak data)."""
    limits = exercise.limits
    if run.status is Status.TLE:
        return f"Time limit exceeded ({limits.time:g} s CPU, {limits.wall_time:g} s wall)."
    if run.status is Status.MLE:
        return f"Memory limit exceeded ({limits.memory} MiB)."
    if run.status is Status.OLE:
        return "Output limit exceeded: your program printed far more than expected."
    if run.signal:
        why = f"Killed by signal {run.signal} ({signal.Signals(run.signal).name})."
    else:
        why = f"Exited with code {run.exit_code}."
    if test.sample and run.stderr.strip():
        stderr = run.stderr.decode("utf-8", errors="replace")[-STDERR_SHOWN:]
        why += f"\n{stderr}"
    return why
