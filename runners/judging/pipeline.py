"""Judging one submission: build once, judge every test in order with the exercise's checker, score.

With a compile error (CE) or a failed build (IE) no test runs: the result has
that verdict, a score of 0 and an empty `tests` list. A test left out because
its subtask stopped at a failure (`stop_on_failure`) is reported with the
verdict of that failure, 0 points, and a message saying it was not run. A test
the judge failed on (`JudgeFailure`) is IE, and the first such failure is the
result's `failure`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from fractions import Fraction

import msgspec

from languages import BuildStatus, CompileCache, Language, Runner, build, get_language
from languages.builds import program as unbuilt
from runners.judging.checkers import CHECKERS, Context
from runners.judging.exercise import Exercise, Test
from runners.judging.failure import FailingRunner, JudgeFailure
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.scoring import Tally
from runners.judging.verdict import Verdict
from sandbox import Sandbox, SandboxPool

log = logging.getLogger(__name__)

OnTest = Callable[[TestResult], None]
FAILED = "The judge failed on this test (not your fault); it is logged."


class LanguageNotAllowed(ValueError):
    """The exercise does not accept this language."""


def judge(
    exercise: Exercise,
    language_id: str,
    source: bytes,
    runner: Runner,
    on_test: OnTest | None = None,
    *,
    cache: CompileCache | None = None,
    reader_language: str = "en",
) -> SubmissionResult:
    """Judge `source` against `exercise`; `on_test` is called as each test finishes.

    Points in the results given to `on_test` are provisional for tests of a
    subtask (as if the rest of the subtask passes); the returned result is final.
    Raises UnknownLanguage or LanguageNotAllowed for a language it cannot take.
    Without a compile `cache`, the source is compiled whatever was compiled before.
    `reader_language` is the language of whoever reads the messages (check scripts see it).
    With a Sandbox or a SandboxPool, the submission's runs share its sandboxes
    (a session): set up once, each test only a process started inside.
    """
    language = get_language(language_id)
    if language.id not in exercise.languages:
        raise LanguageNotAllowed(
            f"exercise {exercise.slug} accepts {', '.join(exercise.languages)}, not {language.id}"
        )
    with _session(runner) as box:
        failing = FailingRunner(box)
        return _judge(exercise, language, source, failing, on_test, cache, reader_language)


def _session(runner: Runner) -> AbstractContextManager[Runner]:
    if isinstance(runner, Sandbox | SandboxPool):
        return runner.session()
    return nullcontext(runner)


def _judge(
    exercise: Exercise,
    language: Language,
    source: bytes,
    runner: FailingRunner,
    on_test: OnTest | None,
    cache: CompileCache | None,
    reader_language: str,
) -> SubmissionResult:
    try:
        built = build(language, source, runner, cache)
        if built.status is BuildStatus.IE:
            raise JudgeFailure(built.message)
    except JudgeFailure as failure:
        log.error("building for %s failed: %s", exercise.slug, failure)
        return SubmissionResult.internal_error(f"build: {failure}", exercise.max_score)
    program, error = built.program, None
    if program is None and not CHECKERS[exercise.checker.kind].needs_build:
        program, error = unbuilt(language, source, None), built.compile_output or ""
    if program is None:  # CE
        return SubmissionResult(Verdict.CE, 0.0, exercise.max_score, built.compile_output, [])
    session = Session(Context(exercise, program, source, runner, error, reader_language), on_test)
    session.judge_tests()
    return session.result(built.compile_output)


class Session:
    """The tests of one submission, judged in order."""

    def __init__(self, context: Context, on_test: OnTest | None) -> None:
        self.context = context
        self.exercise = context.exercise
        self.checker = CHECKERS[self.exercise.checker.kind]
        self.on_test = on_test
        self.results: list[TestResult] = []
        self.fractions: dict[str, Fraction] = {}  # test name -> fraction of its points earned
        self.tally = Tally(self.exercise.scoring)
        self.stopped: dict[str, TestResult] = {}  # subtask name -> the failure that stopped it
        self.failures: list[str] = []  # why the judge failed, per test it failed on

    def judge_tests(self) -> None:
        for test in self.exercise.tests:
            stopper = self.stopper(test)
            if stopper is not None:
                note = f"Not run: test {stopper.name} of its subtask failed ({stopper.verdict})."
                self.record(TestResult(test.name, stopper.verdict, 0.0, 0, 0.0, note), Fraction(0))
                continue
            result, fraction = self.judge_test(test)
            self.record(result, fraction)
            if result.verdict is not Verdict.AC:
                self.stop_subtasks(test, result)

    def judge_test(self, test: Test) -> tuple[TestResult, Fraction]:
        try:
            judgement, run = self.checker.judge(self.context, test)
        except JudgeFailure as failure:
            log.error("judging %s/%s failed: %s", self.exercise.slug, test.name, failure)
            self.failures.append(f"test {test.name}: {failure}")
            return TestResult(test.name, Verdict.IE, 0.0, 0, 0.0, FAILED), Fraction(0)
        result = TestResult(
            test.name, judgement.verdict, run.cpu_time, run.memory, 0.0, judgement.message
        )
        return result, judgement.fraction

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
        points = self.tally.record(result.name, fraction)
        result = msgspec.structs.replace(result, points=float(points))
        self.results.append(result)
        if self.on_test:
            self.on_test(result)

    def result(self, compile_output: str | None) -> SubmissionResult:
        """Final points per test, the verdict (first non-AC test) and the score."""
        points = self.exercise.scoring.earned(self.fractions)
        tests = [msgspec.structs.replace(r, points=float(points[r.name])) for r in self.results]
        verdict = next((r.verdict for r in tests if r.verdict is not Verdict.AC), Verdict.AC)
        score = float(sum(points.values(), Fraction(0)))
        failure = self.failures[0] if self.failures else None
        return SubmissionResult(
            verdict, score, self.exercise.max_score, compile_output, tests, failure
        )
