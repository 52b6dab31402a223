"""Service-wide reads: languages, stats, health and Prometheus metrics."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Response, get
from litestar.openapi import ResponseSpec

from judge_api import metrics
from judge_api.auth import ServiceDep
from judge_api.errors import responses
from judge_api.schemas import HealthOut, StatsOut
from judge_api.stats import stats
from languages import LanguageInfo, all_languages


@get("/languages", sync_to_thread=True)
def list_languages() -> list[LanguageInfo]:
    """Every language plugin, with its toolchain's version and whether it works here."""
    return [language.info() for language in all_languages().values()]


@get("/stats", sync_to_thread=True, responses=responses(503))
def read_stats(service: ServiceDep) -> StatsOut:
    """Users, submissions, and who tried and solved each exercise."""
    return stats(service.db)


def _probe(check: Callable[[], None]) -> str:
    """`ok`, or why the check failed."""
    try:
        check()
    except Exception as error:
        return f"unavailable: {error}"
    return "ok"


@get(
    "/health",
    sync_to_thread=True,
    responses={503: ResponseSpec(HealthOut, description="What is unavailable.")},
)
def health(service: ServiceDep) -> Response[HealthOut]:
    """200 when the database and the queue answer, 503 otherwise."""
    database, queue = _probe(service.db.ping), _probe(service.queue.ping)
    healthy = database == queue == "ok"
    body = HealthOut("ok" if healthy else "unavailable", database, queue)
    return Response(body, status_code=200 if healthy else 503)


@get(
    "/metrics",
    sync_to_thread=True,
    media_type="text/plain; version=0.0.4; charset=utf-8",
    responses=responses(503),
)
def read_metrics(service: ServiceDep) -> str:
    """Prometheus metrics of the whole service (queue depth, verdicts, latency, failures)."""
    return metrics.render(service.db)


handlers = [list_languages, read_stats, health, read_metrics]
