"""Judging one submission: build once, run every test in the sandbox, check, score.

With a compile error (CE) or a failed build (IE) no test runs: the result has
that verdict, a score of 0 and an empty `tests` list. A test left out because
its subtask stopped at a failure (`stop_on_failure`) is reported with the
verdict of that failure, 0 points, and a message saying it was not run.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from languages import Build, BuildStatus, CompileCache, Program, Runner, build, get_language
from runners.judging.checkers import COMPARATORS, custom, script
from runners.judging.checkers.outcome import Outcome
from runners.judging.exercise.loader import Exercise, Test
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from sandbox import Limits, MiB, RunRequest, RunResult, SandboxError, Status

log = logging.getLogger(__name__)

OnTest = Callable[[TestResult], None]
STDERR_SHOWN = 1000  # characters of a sample's stderr shown after a crash


class LanguageNotAllowed(ValueError):
    """The exercise does not accept this language."""


def judge(
    exercise: Exercise,
    language_id: str,
    source: bytes,
    sandbox: Runner,
    on_test: OnTest | None = None,
    *,
    cache: CompileCache | None = None,
) -> SubmissionResult:
    """Judge `source` against `exercise`; `on_test` is called as each test finishes.

    Points in the results given to `on_test` are provisional for tests of a
    subtask (as if the rest of the subtask passes); the returned result is final.
    Raises UnknownLanguage or LanguageNotAllowed for a language it cannot take.
    `cache` is the compile cache (default: the one in the data folder).
    """
    language = get_language(language_id)
    sandbox = Guarded(sandbox)
    if language.id not in exercise.languages:
        raise LanguageNotAllowed(
            f"exercise {exercise.slug} accepts {', '.join(exercise.languages)}, not {language.id}"
        )
    built = build(language, source, sandbox, cache)
    if built.program is None:
        return failed_build(exercise, built)
    session = Session(exercise, built.program, sandbox, on_test)
    if exercise.checker.kind == "script":
        session.run_script(source)
    else:
        session.run_tests()
    return session.result(built.compile_output)


class Guarded:
    """A runner whose failures become IE results (logged) instead of exceptions."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def run(self, request: RunRequest) -> RunResult:
        try:
            return self.runner.run(request)
        except SandboxError as error:
            log.exception("sandbox failure")
            return RunResult(Status.IE, message=f"sandbox failure: {error}")


def failed_build(exercise: Exercise, built: Build) -> SubmissionResult:
    if built.status is BuildStatus.CE:
        return SubmissionResult(Verdict.CE, 0.0, exercise.max_score, built.compile_output, [])
    log.error("building for %s failed: %s", exercise.slug, built.message)
    return SubmissionResult(Verdict.IE, 0.0, exercise.max_score, built.compile_output, [])


class Session:
    """The tests of one submission, judged in order."""

    def __init__(
        self, exercise: Exercise, program: Program, sandbox: Runner, on_test: OnTest | None
    ) -> None:
        self.exercise = exercise
        self.program = program
        self.sandbox = sandbox
        self.on_test = on_test
        self.results: list[TestResult] = []
        self.fractions: dict[str, Fraction] = {}  # test name -> fraction of its points earned
        self.stopped: dict[str, TestResult] = {}  # subtask name -> the failure that stopped it

    def run_tests(self) -> None:
        for test in self.exercise.tests:
            stopper = self.stopper(test)
            if stopper is not None:
                note = f"Not run: test {stopper.name} of its subtask failed ({stopper.verdict})."
                self.record(TestResult(test.name, stopper.verdict, 0.0, 0, 0.0, note), Fraction(0))
                continue
            result, fraction = self.run_test(test)
            self.record(result, fraction)
            if result.verdict is not Verdict.AC:
                self.stop_subtasks(test, result)

    def run_script(self, source: bytes) -> None:
        outcome, run = script.check(self.sandbox, self.exercise, self.program, source)
        self.record(
            TestResult(
                self.exercise.tests[0].name,
                outcome.verdict,
                run.cpu_time,
                run.memory,
                0.0,
                outcome.message,
            ),
            outcome.fraction,
        )

    def stopper(self, test: Test) -> TestResult | None:
        """The failure that stopped every subtask of `test`, if they all stopped."""
        subtasks = [s for s in self.exercise.subtasks if test.name in s.tests]
        if not subtasks or any(s.name not in self.stopped for s in subtasks):
            return None
        return self.stopped[subtasks[0].name]

    def stop_subtasks(self, test: Test, failure: TestResult) -> None:
        for subtask in self.exercise.subtasks:
            if subtask.stop_on_failure and test.name in subtask.tests:
                self.stopped.setdefault(subtask.name, failure)

    def record(self, result: TestResult, fraction: Fraction) -> None:
        self.fractions[result.name] = fraction
        points = self.exercise.scoring.earned(self.fractions)[result.name]
        result = replace(result, points=float(points))
        self.results.append(result)
        if self.on_test:
            self.on_test(result)

    def run_test(self, test: Test) -> tuple[TestResult, Fraction]:
        assert test.input is not None and test.output is not None
        expected = test.output.read_bytes()
        run = self.program.run(self.sandbox, test.input, limits_for(self.exercise, len(expected)))
        if run.status is Status.OK:
            outcome = self.check(test, expected, run)
        else:
            outcome = Outcome(
                Verdict.of_run(run.status), Fraction(0), run_message(run, test, self.exercise)
            )
        result = TestResult(
            test.name, outcome.verdict, run.cpu_time, run.memory, 0.0, outcome.message
        )
        return result, outcome.fraction

    def check(self, test: Test, expected: bytes, run: RunResult) -> Outcome:
        kind = self.exercise.checker.kind
        if kind == "custom":
            assert test.input is not None
            data = (test.input.read_bytes(), expected, run.stdout)
            return custom.check(self.sandbox, self.exercise, test.name, data)
        return COMPARATORS[kind](expected, run.stdout, self.exercise.checker.tolerance, test.sample)

    def result(self, compile_output: str | None) -> SubmissionResult:
        """Final points per test, the verdict (first non-AC test) and the score."""
        points = self.exercise.scoring.earned(self.fractions)
        tests = [replace(r, points=float(points[r.name])) for r in self.results]
        verdict = next((r.verdict for r in tests if r.verdict is not Verdict.AC), Verdict.AC)
        score = float(sum(points.values(), Fraction(0)))
        return SubmissionResult(verdict, score, self.exercise.max_score, compile_output, tests)


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
    if run.status is Status.IE:
        log.error("sandbox failure on %s/%s: %s", exercise.slug, test.name, run.message)
        return "The judge failed on this test (not your fault); it is logged."
    if run.signal:
        why = f"Killed by signal {run.signal} ({signal.Signals(run.signal).name})."
    else:
        why = f"Exited with code {run.exit_code}."
    if test.sample and run.stderr.strip():
        stderr = run.stderr.decode("utf-8", errors="replace")[-STDERR_SHOWN:]
        why += f"\n{stderr}"
    return why
