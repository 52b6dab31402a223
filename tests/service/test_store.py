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
from runners.store import submissions
from runners.store.database import Database

RESULT = SubmissionResult(Verdict.AC, 100.0, 100.0, None, [])
TEST = TestResult("01", Verdict.AC, 0.01, 1, 50.0, "")


def test_migrations_apply_twice(db: Database) -> None:
    db.migrate()
    assert submissions.pending(db) == []


def test_claim_then_finish_writes_one_result(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"print(1)", None)
    claim = submissions.claim(db, submission_id)
    assert claim is not None and claim.attempt == 1 and claim.source == b"print(1)"
    assert submissions.finish(db, claim, RESULT)
    wrong = msgspec.structs.replace(RESULT, verdict=Verdict.WA)
    assert not submissions.finish(db, claim, wrong)
    row = submissions.get(db, submission_id)
    assert row is not None and row.status == "done" and row.verdict == "AC"
    assert row.latency is not None and row.latency >= 0
    assert submissions.claim(db, submission_id) is None  # a redelivered message finds it done


def test_a_superseded_attempt_cannot_add_tests(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    first = submissions.claim(db, submission_id)
    second = submissions.claim(db, submission_id)
    assert first is not None and second is not None and second.attempt == 2
    submissions.add_test(db, first, [TEST])
    row = submissions.get(db, submission_id)
    assert row is not None and row.tests == []
    submissions.add_test(db, second, [TEST])
    row = submissions.get(db, submission_id)
    assert row is not None and row.tests == [TEST]


def test_release_puts_it_back_and_counts_the_failure(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    claim = submissions.claim(db, submission_id)
    assert claim is not None
    submissions.release(db, claim, "sandbox broke")
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.failures, row.error) == (
        "queued",
        1,
        "sandbox broke",
    )
    assert submissions.pending(db) == [submission_id]


def test_stale_submissions_are_reenqueued_once(db: Database) -> None:
    fresh = submissions.create(db, "sum", "python", b"", None)
    assert submissions.stale(db, older_than=60) == []
    stale = submissions.stale(db, older_than=-1)
    assert [submission_id for submission_id, _ in stale] == [fresh]
    _, seen = stale[0]
    assert submissions.reenqueue(db, fresh, seen)
    assert not submissions.reenqueue(db, fresh, seen)  # another sweeper got there first


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
