"""Prometheus metrics, computed from the database at scrape time.

The database is shared by every API and worker process, so the numbers are
the whole service's, whichever process answers the scrape.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from runners.store.database import Database
from runners.store.models import SubmissionRow

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _gauge(name: str, help_: str, kind: str, samples: list[tuple[str, float]]) -> list[str]:
    lines = [f"# HELP {name} {help_}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples]
    return lines


def _latency(db: Database) -> list[str]:
    done = SubmissionRow.latency.is_not(None)
    columns = [func.sum(case((SubmissionRow.latency <= le, 1), else_=0)) for le in LATENCY_BUCKETS]
    with db.session() as session:
        row = session.execute(
            select(func.count(), func.coalesce(func.sum(SubmissionRow.latency), 0.0), *columns)
            .where(done)
        ).one()  # fmt: skip
    count, total, *buckets = row
    samples = [
        (f'_bucket{{le="{le}"}}', float(n or 0))
        for le, n in zip(LATENCY_BUCKETS, buckets, strict=True)
    ]
    samples += [('_bucket{le="+Inf"}', count), ("_sum", total), ("_count", count)]
    name = "judge_latency_seconds"
    lines = [
        f"# HELP {name} Seconds from accepting a submission to its verdict.",
        f"# TYPE {name} histogram",
    ]
    return lines + [f"{name}{suffix} {value:g}" for suffix, value in samples]


def render(db: Database) -> str:
    """The metrics in Prometheus' text format."""
    with db.session() as session:
        statuses = select(SubmissionRow.status, func.count()).group_by(SubmissionRow.status)
        by_status = {status: count for status, count in session.execute(statuses)}
        verdicts = (
            select(SubmissionRow.verdict, func.count())
            .where(SubmissionRow.verdict.is_not(None))
            .group_by(SubmissionRow.verdict)
        )
        by_verdict = [(verdict, count) for verdict, count in session.execute(verdicts)]
        failures = session.scalar(select(func.coalesce(func.sum(SubmissionRow.failures), 0)))
    lines = _gauge(
        "judge_queue_depth", "Submissions accepted and not judged yet.", "gauge",
        [(f'{{status="{status}"}}', by_status.get(status, 0)) for status in ("queued", "judging")],
    )  # fmt: skip
    lines += _gauge(
        "judge_submissions_total", "Submissions judged, by verdict.", "counter",
        [(f'{{verdict="{verdict}"}}', count) for verdict, count in sorted(by_verdict)],
    )  # fmt: skip
    lines += _latency(db)
    lines += _gauge(
        "judge_sandbox_failures_total",
        "Infrastructure failures while judging (sandbox, files, database), retried or IE.",
        "counter", [("", float(failures or 0))],
    )  # fmt: skip
    return "\n".join(lines) + "\n"
