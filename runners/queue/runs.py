"""Doing one queued run (`POST /runs`): claim it, build and run it in a sandbox, report.

Runs go through the queue and the workers' sandboxes like submissions, so
that the API's threads never wait on a sandbox. A run that the judge failed
(a sandbox or toolchain failure) is reported IE at once, with the reason in
`stderr` and the logs: its requester is waiting and may ask again. A run
whose worker died is run again once its lease lapses, `max_attempts` claims
at most.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from languages import CompileCache, all_languages, run_limits, run_source
from runners.judging.results import RunReport
from runners.queue.heartbeat import Heartbeat
from runners.queue.notify import Notice, Notifier
from runners.settings import Settings
from runners.store import runs
from runners.store.database import Database
from sandbox import SandboxPool

log = logging.getLogger(__name__)


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
        if claim.attempt > self.settings.max_attempts:
            report = RunReport.internal_error(
                f"not run after {self.settings.max_attempts} attempts"
            )
        else:
            with self.heartbeat.hold(f"run {run_id}", lambda: runs.renew(self.db, claim, lease)):
                report = self._run(claim)
        if report.status == "IE":
            log.error("run %s: judged IE: %s", run_id, report.stderr)
        if runs.finish(self.db, run_id, report):
            self.notifier.publish(Notice(run_id, done=True))

    def _run(self, claim: runs.RunClaim) -> RunReport:
        language = all_languages().get(claim.language)
        if language is None:
            return RunReport.internal_error(f"language {claim.language!r} is not installed here")
        limits = run_limits(claim.time_limit, claim.memory_limit)
        try:
            with self.pool.borrow() as box:
                run = run_source(language, claim.source, claim.stdin, limits, box, self.cache)
                if run.status == "IE":
                    box.close()  # its supervisor may be broken: the next borrower starts a new one
        except Exception as error:
            log.exception("infrastructure failure in run %s", claim.id)
            return RunReport.internal_error(f"the judge failed: {type(error).__name__}: {error}")
        return RunReport(**run.as_dict())
