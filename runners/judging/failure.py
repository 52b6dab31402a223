"""The judge failed, not the submitter: one exception for every such failure while judging.

A sandbox whose supervisor died (`SandboxError`), a run the sandbox itself
reports `IE`, an unavailable toolchain, a crashing custom checker: each
raises `JudgeFailure` where it happens. The pipeline records the test as `IE`
and the reason in `SubmissionResult.failure`, which the worker reads to
judge the submission again.
"""

from __future__ import annotations

from languages import Runner
from sandbox import RunRequest, RunResult, Sandbox, SandboxError, SandboxPool, Status


class JudgeFailure(Exception):
    """Why the judge could not judge; logged, never shown to the submitter."""


class FailingRunner:
    """A runner (a Sandbox) whose failures raise JudgeFailure instead of returning IE."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    def run(self, request: RunRequest) -> RunResult:
        try:
            result = self.runner.run(request)
        except SandboxError as error:
            raise JudgeFailure(f"sandbox failure: {error}") from error
        return _checked(result)

    def run_connected(self, first: RunRequest, second: RunRequest) -> tuple[RunResult, RunResult]:
        """Two runs connected by pipes (`Sandbox.run_connected`): interactive problems."""
        if not isinstance(self.runner, Sandbox | SandboxPool):
            raise JudgeFailure(f"{type(self.runner).__name__} cannot run programs together")
        try:
            results = self.runner.run_connected(first, second)
        except SandboxError as error:
            raise JudgeFailure(f"sandbox failure: {error}") from error
        return _checked(results[0]), _checked(results[1])


def _checked(result: RunResult) -> RunResult:
    if result.status is Status.IE:
        raise JudgeFailure(f"sandbox failure: {result.message}")
    return result
