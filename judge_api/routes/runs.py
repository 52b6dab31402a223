"""`/runs`: compile and run a source once, as `judge run --json`, by a worker.

The run is stored and queued like a submission (runners/store/runs.py); the
request then waits on the event loop for the worker's notification, so no
API thread ever waits on a sandbox, however many runs are under way.
"""

from __future__ import annotations

from functools import partial

from anyio import to_thread
from litestar import post
from litestar.exceptions import HTTPException, ServiceUnavailableException
from litestar.params import JSONBody

from judge_api.auth import CallerDep, ServiceDep, throttle
from judge_api.errors import UnprocessableError, responses
from judge_api.openapi import BEARER
from judge_api.schemas import RunIn
from judge_api.service import Service
from judge_api.tokens import Caller
from judge_api.watch import watch_until
from languages import all_languages, run_limits
from runners.judging.results import RunReport
from runners.queue.client import QueueUnavailable
from runners.store import runs
from sandbox import MiB

MAX_STDIN_BYTES = 1024 * 1024


def _check_size(name: str, data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise HTTPException(f"{name} is {len(data)} bytes, over {limit}", status_code=413)


def _capped(service: Service, data: RunIn) -> tuple[float, int]:
    """The run's CPU seconds and MiB, lowered to the server's caps."""
    settings = service.settings
    return (
        min(data.limits.time, settings.run_time_max),
        min(data.limits.memory, settings.run_memory_max // MiB),
    )


def accept(service: Service, caller: Caller, data: RunIn) -> int:
    """Validate, store and enqueue a run; its id."""
    source, stdin = data.source.encode(), data.stdin.encode()
    _check_size("source", source, service.settings.max_source_bytes)
    _check_size("stdin", stdin, MAX_STDIN_BYTES)
    if data.language not in all_languages():
        raise UnprocessableError(f"unknown language {data.language!r}")
    run_id = runs.create(
        service.db, caller.id, data.language, source, stdin, *_capped(service, data)
    )
    enqueue(service, run_id)
    return run_id


def enqueue(service: Service, run_id: int) -> None:
    """Queue a stored run; when the queue is down, forget it and answer 503."""
    try:
        service.queue.enqueue_run(run_id)
    except QueueUnavailable as error:
        runs.delete(service.db, run_id)
        raise ServiceUnavailableException(f"the queue is unavailable: {error}") from None


async def wait_report(service: Service, run_id: int, timeout: float) -> RunReport:
    """The run's report once a worker wrote it; 503 when none did within `timeout` seconds."""
    row = await watch_until(
        service.run_hub,
        run_id,
        partial(runs.get, service.db, run_id),
        lambda row: row is None or row.report is not None,
        timeout,
    )
    if row is not None and row.report is not None:
        return row.report
    reason = f"no worker could run it within {timeout:g} s"
    if not await to_thread.run_sync(runs.abandon, service.db, run_id, reason):
        row = await to_thread.run_sync(runs.get, service.db, run_id)  # done meanwhile
        if row is not None and row.report is not None:
            return row.report
    raise ServiceUnavailableException(
        f"the judge is busy: {reason}; try again later", headers={"Retry-After": "10"}
    )


@post("/runs", status_code=200, security=BEARER, responses=responses(400, 401, 413, 422, 429, 503))
async def create_run(data: JSONBody[RunIn], service: ServiceDep, caller: CallerDep) -> RunReport:
    """Build and run a source once on `stdin`, and answer as `judge run --json` does.

    Limits above the server's caps (JUDGE_RUN_TIME_MAX, JUDGE_RUN_MEMORY_MAX_MB)
    are lowered to them. The run waits its turn in the judging queue; when no
    worker has done it within JUDGE_WAIT_MAX seconds plus its wall time, the
    answer is 503 and the run is dropped.
    """
    throttle(service, caller)
    run_id = await to_thread.run_sync(accept, service, caller, data)
    wall_time = run_limits(*_capped(service, data)).wall_time
    return await wait_report(service, run_id, service.settings.wait_max + wall_time)


handlers = [create_run]
