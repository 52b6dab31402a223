"""Doing one queued run (`POST /runs`): claim it, build and run it in a sandbox, report.

Runs go through the queue and the workers' sandboxes like submissions, so
that the API's threads never wait on a sandbox. A run that the judge failed
(a sandbox or toolchain failure) is reported IE at once, with the reason in
`stderr` and the logs: its requester is waiting and may ask again. A run
whose worker died is run again once its lease lapses, `max_attempts` claims
at most.

Runs of the Judge0 API (judge_api/judge0/) also keep their output as bytes
and compare it with their expected output, as Judge0 does (`same_output`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from languages import CompileCache, SourceRun, all_languages, run_limits, run_source
from runners.judging.results import RunOutput, RunReport
from runners.queue.heartbeat import Heartbeat
from runners.queue.notify import Notice, Notifier
from runners.settings import Settings
from runners.store import runs
from runners.store.database import Database
from sandbox import SandboxPool

log = logging.getLogger(__name__)
RUBY_WHITESPACE = b" \t\n\v\f\r\0"  # what Ruby's String#rstrip removes


def _judge0_strip(text: bytes) -> bytes:
    """Judge0's `strip`: each line's trailing whitespace, then the whole text's, removed."""
    lines = text.split(b"\n")
    return b"\n".join(line.rstrip(RUBY_WHITESPACE) for line in lines).rstrip(RUBY_WHITESPACE)


def same_output(expected: bytes, actual: bytes) -> bool:
    """Whether `actual` matches `expected` as Judge0 1.13 compares them (IsolateJob#verify).

    Trailing whitespace of every line and of the whole is ignored. Judge0
    stores an empty output as null, which matches no expected output, not
    even an empty one: an empty output never matches.
    """
    return bool(actual) and _judge0_strip(expected) == _judge0_strip(actual)


def kept_output(run: SourceRun, expected: bytes | None) -> RunOutput:
    """The output of a Judge0 run as bytes, the sandbox's reason, and the comparison."""
    result = run.result
    if result is None:  # not built
        return RunOutput(b"", b"", run.build.message, None)
    matched = None if expected is None else same_output(expected, result.stdout)
    return RunOutput(result.stdout, result.stderr, result.message, matched)


@dataclass
class RunProcessor:
    """Claims, runs and reports runs; `process` is the queue's run actor."""

    db: Database
    settings: Settings
    pool: SandboxPool
    notifier: Notifier
    heartbeat: Heartbeat
    cache: CompileCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = self.settings.compile_cache()

    def process(self, run_id: int) -> None:
        lease = self.settings.requeue_after
        claim = runs.claim(self.db, run_id, lease)
        if claim is None:
            return  # done, abandoned, or being run: a duplicate message
        output = None
        if claim.attempt > self.settings.max_attempts:
            report = RunReport.internal_error(
                f"not run after {self.settings.max_attempts} attempts"
            )
        else:
            with self.heartbeat.hold(f"run {run_id}", lambda: runs.renew(self.db, claim, lease)):
                report, output = self._run(claim)
        if report.status == "IE":
            log.error("run %s: judged IE: %s", run_id, report.stderr)
        if runs.finish(self.db, run_id, report, output=output):
            self.notifier.publish(Notice(run_id, done=True))

    def _run(self, claim: runs.RunClaim) -> tuple[RunReport, RunOutput | None]:
        """The run's report, and its output as bytes for a run of the Judge0 API."""
        language = all_languages().get(claim.language)
        if language is None:
            reason = f"language {claim.language!r} is not installed here"
            return RunReport.internal_error(reason), None
        limits = run_limits(claim.time_limit, claim.memory_limit)
        if claim.wall_time_limit is not None:
            limits = replace(limits, wall_time=claim.wall_time_limit)
        try:
            with self.pool.borrow() as box:
                run = run_source(language, claim.source, claim.stdin, limits, box, self.cache)
                if run.status == "IE":
                    box.close()  # its supervisor may be broken: the next borrower starts a new one
        except Exception as error:
            log.exception("infrastructure failure in run %s", claim.id)
            reason = f"the judge failed: {type(error).__name__}: {error}"
            return RunReport.internal_error(reason), None
        output = kept_output(run, claim.expected_output) if claim.judge0 else None
        return RunReport(**run.as_dict()), output
