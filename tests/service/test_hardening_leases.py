"""Leases: only what nobody is judging is judged again, and a slow judging is never ended
by the sweeper's re-enqueues (each used to count as an attempt, then IE)."""

from __future__ import annotations

from collections.abc import Callable

from service_support import SOURCES, Api

from runners.store import lease, runs, submissions
from runners.store.database import Database
from runners.store.models import RunRow, SubmissionRow

LEASE = 60.0  # seconds: longer than any test
LAPSED = -1.0  # a lease that ran out at once


def test_a_leased_submission_is_not_claimed_again(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    first = submissions.claim(db, submission_id, LEASE)
    assert first is not None and first.attempt == 1
    assert submissions.claim(db, submission_id, LEASE) is None  # a re-enqueued duplicate
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.attempt) == ("judging", 1)
    with db.session() as session:
        assert lease.stale(session, SubmissionRow, older_than=-1) == []  # nobody re-enqueues it


def test_a_lapsed_lease_is_claimed_and_the_old_holder_loses_it(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    dead = submissions.claim(db, submission_id, LAPSED)
    assert dead is not None
    with db.session() as session:
        assert [key for key, _ in lease.stale(session, SubmissionRow, -1)] == [submission_id]
    alive = submissions.claim(db, submission_id, LEASE)
    assert alive is not None and alive.attempt == 2
    assert submissions.renew(db, alive, LEASE)
    assert not submissions.renew(db, dead, LEASE)  # superseded


def test_renewing_keeps_the_claim(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    claim = submissions.claim(db, submission_id, LAPSED)
    assert claim is not None
    assert submissions.renew(db, claim, LEASE)
    assert submissions.claim(db, submission_id, LEASE) is None


def test_a_restart_alone_ends_every_lease(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    assert submissions.claim(db, submission_id, LEASE) is not None
    with db.session() as session:
        lease.release_all(session, SubmissionRow)
    again = submissions.claim(db, submission_id, LEASE)
    assert again is not None and again.attempt == 2


def test_runs_have_the_same_lease_and_one_report(db: Database) -> None:
    run_id = runs.create(db, None, "python", b"print(1)", b"", 1.0, 64)
    claim = runs.claim(db, run_id, LEASE)
    assert claim is not None and (claim.attempt, claim.memory_limit) == (1, 64)
    assert runs.claim(db, run_id, LEASE) is None
    assert runs.abandon(db, run_id, "nobody waits")
    assert not runs.abandon(db, run_id, "twice")
    with db.session() as session:
        assert lease.pending(session, RunRow) == []
    assert runs.claim(db, run_id, LEASE) is None  # an abandoned run is not run


# Burns three seconds of CPU per test: longer than the lease, the sweeper's period and more.
SLOWER_SOURCE = (
    "import time\nend = time.process_time() + 3.0\nwhile time.process_time() < end:\n    pass\n"
    + SOURCES["python", "AC"]
)


def test_a_slow_submission_is_judged_once_with_a_short_lease(make_api: Callable[..., Api]) -> None:
    api = make_api(requeue_after=1.0, max_attempts=2)
    body = {"exercise": "slow", "language": "python", "source": SLOWER_SOURCE}
    created = api.client.post("/api/v1/submissions", json=body, headers=api.auth())
    assert created.status_code == 202, created.text
    url = f"/api/v1/submissions/{created.json()['id']}/events"
    with api.client.stream("GET", url, headers=api.auth()) as stream:
        for _ in stream.iter_lines():
            pass  # until the result
    row = submissions.get(api.service.db, created.json()["id"])
    assert row is not None and (row.status, row.verdict) == ("done", "AC"), row.error
    assert row.attempt == 1 and row.error is None
