"""The submission state machine on SQLite and PostgreSQL: idempotent under redelivery."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import msgspec
import pytest
from service_support import temporary_database

from judge_api.tokens import Role, create_token, find_caller
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from runners.store import lease, submissions
from runners.store.database import Database
from runners.store.models import SubmissionRow

RESULT = SubmissionResult(Verdict.AC, 100.0, 100.0, None, [])
TEST = TestResult("01", Verdict.AC, 0.01, 1, 50.0, "")
LEASE = 60.0  # seconds


def test_migrations_apply_twice(db: Database) -> None:
    db.migrate()
    with db.session() as session:
        assert lease.pending(session, SubmissionRow) == []


def test_claim_then_finish_writes_one_result(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"print(1)", None)
    claim = submissions.claim(db, submission_id, LEASE)
    assert claim is not None and claim.attempt == 1 and claim.source == b"print(1)"
    assert submissions.finish(db, claim, RESULT)
    wrong = msgspec.structs.replace(RESULT, verdict=Verdict.WA)
    assert not submissions.finish(db, claim, wrong)
    row = submissions.get(db, submission_id)
    assert row is not None and row.status == "done" and row.verdict == "AC"
    assert row.latency is not None and row.latency >= 0
    assert submissions.claim(db, submission_id, LEASE) is None  # a redelivery finds it done


def test_a_superseded_attempt_cannot_add_tests(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    first = submissions.claim(db, submission_id, -1.0)  # its lease lapsed at once
    second = submissions.claim(db, submission_id, LEASE)
    assert first is not None and second is not None and second.attempt == 2
    submissions.add_test(db, first, [TEST])
    row = submissions.get(db, submission_id)
    assert row is not None and row.tests == []
    submissions.add_test(db, second, [TEST])
    row = submissions.get(db, submission_id)
    assert row is not None and row.tests == [TEST]


def test_release_puts_it_back_and_counts_the_failure(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    claim = submissions.claim(db, submission_id, LEASE)
    assert claim is not None
    submissions.release(db, claim, "sandbox broke")
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.failures, row.error) == (
        "queued",
        1,
        "sandbox broke",
    )
    with db.session() as session:
        assert lease.pending(session, SubmissionRow) == [submission_id]


def test_stale_submissions_are_reenqueued_once(db: Database) -> None:
    fresh = submissions.create(db, "sum", "python", b"", None)
    with db.session() as session:
        assert lease.stale(session, SubmissionRow, older_than=60) == []
        stale = lease.stale(session, SubmissionRow, older_than=-1)
    assert [submission_id for submission_id, _ in stale] == [fresh]
    _, seen = stale[0]
    with db.session() as session:
        assert lease.reenqueue(session, SubmissionRow, fresh, seen)
    with db.session() as session:
        assert not lease.reenqueue(session, SubmissionRow, fresh, seen)  # another sweeper first


def test_tokens_are_stored_hashed(db: Database) -> None:
    secret = create_token(db, "alice", Role.AUTHOR)
    caller = find_caller(db, secret)
    assert caller is not None and (caller.name, caller.role) == ("alice", Role.AUTHOR)
    assert find_caller(db, secret + "x") is None
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT digest FROM tokens").scalar_one()
    assert secret not in stored and len(stored) == 64


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """An empty PostgreSQL database, never migrated."""
    with temporary_database("judge_fresh") as url:
        yield url


def test_processes_starting_together_migrate_once(tmp_path: Path, fresh_pg_url: str) -> None:
    for url in (f"sqlite:///{tmp_path / 'fresh.db'}", fresh_pg_url):
        databases = [Database(url) for _ in range(4)]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(Database.migrate, databases))  # raises if two created the tables
        for database in databases:
            database.close()
