"""`GET /submissions` on a million rows in PostgreSQL: the query plans and their times.

Fills a temporary database (migrated by the service's own migrations) with
10,000 users, 200 exercises, 20 contests and a million submissions, then
runs `runners.store.history.page` for each kind of listing the API serves,
prints PostgreSQL's EXPLAIN ANALYZE of the statement it sent, and the median
time of the call. Prints, never asserts.

    .venv/bin/python bench/submission_history.py [--rows N] [--admin-url URL]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import event

from runners.store import history
from runners.store.database import Database

ADMIN_URL = "postgresql://root@/judge_test?host=/var/run/postgresql"
FILL = """
INSERT INTO users (name, role, created_at)
    SELECT 'user' || g, 'user', now() FROM generate_series(1, 10000) g;
INSERT INTO contests (slug, title, format, exercises, start_at, end_at, freeze_minutes,
                      penalty_minutes, updated_at)
    SELECT 'contest' || g, 'Contest', 'icpc', '[]', now(), now(), 0, 20, now()
    FROM generate_series(1, 20) g;
INSERT INTO submissions (exercise, language, source, owner_id, contest_id, status, verdict,
                         score, max_score, tests, attempt, failures, generation,
                         created_at, enqueued_at, judged_at)
    SELECT 'ex' || floor(random() * 200)::int, 'python', '\\x00'::bytea,
           1 + floor(random() * 10000)::int,
           CASE WHEN random() < 0.05 THEN 1 + floor(random() * 20)::int END,
           'done', CASE WHEN random() < 0.001 THEN 'IE'
                        ELSE (ARRAY['AC', 'WA', 'TLE', 'RE', 'CE'])[1 + floor(random() * 5)::int]
                   END,
           0, 100, '[]', 1, 0, 0,
           now() - (%(rows)s - g) * interval '1 second',
           now() - (%(rows)s - g) * interval '1 second', now()
    FROM generate_series(1, %(rows)s) g;
ANALYZE;
"""


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    name = f"judge_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.replace("/judge_test?", f"/{name}?")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def cases(rows: int) -> list[tuple[str, history.Filters, int | None]]:
    owner = 4242
    return [
        ("admin, everything, first page", history.Filters(), None),
        ("admin, everything, a page deep in the middle", history.Filters(), rows // 2),
        ("a user's own", history.Filters(owner_id=owner), None),
        ("a user's own, one exercise", history.Filters(owner_id=owner, exercise="ex7"), None),
        ("admin, one exercise", history.Filters(exercise="ex7"), None),
        ("admin, one contest", history.Filters(contest_id=3), None),
        ("admin, a rare verdict (IE)", history.Filters(verdict="IE"), None),
        ("admin, one exercise and a verdict", history.Filters(exercise="ex7", verdict="AC"), None),
    ]


def explain(db: Database, filters: history.Filters, before: int | None) -> str:
    """EXPLAIN ANALYZE of the very statement `history.page` sends."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", capture)
    history.page(db, filters, 50, before)
    event.remove(db.engine, "before_cursor_execute", capture)
    (statement, params), *_ = sent
    with db.engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params)
        return "\n".join(f"    {line}" for (line,) in plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()
    with database(args.admin_url) as url:
        db = Database(url)
        db.migrate()
        started = time.monotonic()
        with psycopg.connect(url, autocommit=True) as connection:
            for statement in filter(str.strip, FILL.split(";")):
                connection.execute(statement, {"rows": args.rows} if "%(" in statement else None)  # type: ignore[arg-type]
        print(f"{args.rows} submissions generated in {time.monotonic() - started:.0f} s\n")
        for title, filters, before in cases(args.rows):
            times = []
            for _ in range(21):
                begun = time.perf_counter()
                history.page(db, filters, 50, before)
                times.append((time.perf_counter() - begun) * 1000)
            print(f"{title}: median {statistics.median(times):.2f} ms for a page of 50")
            print(explain(db, filters, before), end="\n\n")
        db.close()


if __name__ == "__main__":
    main()
