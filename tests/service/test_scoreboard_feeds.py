"""Live scoreboards in one process: hundreds of watchers, one database read per change."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import msgspec
from service_support import open_contest
from sqlalchemy import event

from judge_api.scoreboards import Scoreboards, board
from judge_api.tokens import Role, create_token, find_caller
from runners.contests import Scoreboard
from runners.judging.results import SubmissionResult
from runners.judging.verdict import Verdict
from runners.queue.notify import Notice
from runners.store import contests, submissions
from runners.store.database import Database

PUBLIC, ADMINS = 250, 50
AC = SubmissionResult(Verdict.AC, 100.0, 100.0, None, [])


def entrant(db: Database, contest_id: int, name: str) -> int:
    caller = find_caller(db, create_token(db, name, Role.USER))
    assert caller is not None
    contests.enter(db, contest_id, caller.id)
    return caller.id


def judge(db: Database, submission_id: int) -> None:
    claim = submissions.claim(db, submission_id, 60.0)
    assert claim is not None and submissions.finish(db, claim, AC)


async def follow(feeds: Scoreboards, contest_id: int, admin: bool, got: list[Scoreboard]) -> None:
    async for text in feeds.watch(contest_id, admin):
        got.append(msgspec.json.decode(text, type=Scoreboard))


async def until(check: Any) -> None:
    for _ in range(600):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the watchers never saw the change")


def test_hundreds_of_watchers_cost_one_read_per_change(db: Database) -> None:
    # frozen: its last 30 minutes began 10 minutes ago
    contest = open_contest(
        db, started=timedelta(minutes=30), ends_in=timedelta(minutes=20), freeze=30
    )
    ann = entrant(db, contest.id, "ann")
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    async def scenario() -> None:
        feeds = Scoreboards(db)
        feeds.bind(asyncio.get_running_loop())
        boards: list[list[Scoreboard]] = [[] for _ in range(PUBLIC + ADMINS)]
        watchers = [
            asyncio.create_task(follow(feeds, contest.id, index >= PUBLIC, got))
            for index, got in enumerate(boards)
        ]
        await until(lambda: all(boards))
        feed = feeds.feeds[contest.id]
        first_reads = feed.reads
        assert first_reads <= 2  # one per audience at most
        submission_id = submissions.create(db, "sum", "python", b"", ann, contest.id)
        judge(db, submission_id)  # made during the freeze: hidden from the public
        before = len(statements)
        feeds.contest_changed(Notice(contest.id))  # as the API announces a contest submission
        feeds.submission_changed(Notice(submission_id, done=True))  # as the worker's notice
        await until(lambda: all(len(got) == 2 for got in boards))
        assert feed.reads == first_reads + 1  # the two notifications settled into one read
        assert len(statements) - before == 3  # contest, entrants, submissions: whoever watches
        public, admin = board(db, contest, admin=False), board(db, contest, admin=True)
        assert all(got[-1] == public for got in boards[:PUBLIC])
        assert all(got[-1] == admin for got in boards[PUBLIC:])
        assert public.rows[0].problems["sum"].pending == 1 and admin.rows[0].score == 1
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
        assert feeds.feeds == {}  # nobody watches: the feed is gone

    asyncio.run(scenario())
