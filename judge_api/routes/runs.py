"""`/runs`: compile and run a source once, synchronously, as `judge run --json`."""

from __future__ import annotations

from litestar import post
from litestar.exceptions import HTTPException
from litestar.params import JSONBody

from judge_api.auth import CallerDep, ServiceDep, throttle
from judge_api.errors import UnprocessableError
from judge_api.schemas import RunIn, RunOut
from languages import all_languages, run_limits, run_source
from sandbox import MiB

MAX_STDIN_BYTES = 1024 * 1024


def _check_size(name: str, data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise HTTPException(f"{name} is {len(data)} bytes, over {limit}", status_code=413)


@post("/runs", status_code=200, sync_to_thread=True)
def create_run(data: JSONBody[RunIn], service: ServiceDep, caller: CallerDep) -> RunOut:
    """Run a source on `stdin`; limits above the server's caps are lowered to them."""
    throttle(service, caller)
    source, stdin = data.source.encode(), data.stdin.encode()
    _check_size("source", source, service.settings.max_source_bytes)
    _check_size("stdin", stdin, MAX_STDIN_BYTES)
    language = all_languages().get(data.language)
    if language is None:
        raise UnprocessableError(f"unknown language {data.language!r}")
    settings = service.settings
    asked = run_limits(data.limits.time, data.limits.memory)
    limits = run_limits(
        min(asked.cpu_time, settings.run_time_max),
        min(asked.memory, settings.run_memory_max) // MiB,
    )
    with service.sandboxes.borrow() as box:
        run = run_source(language, source, stdin, limits, box, settings.compile_cache())
    return RunOut(**run.as_dict())


handlers = [create_run]
