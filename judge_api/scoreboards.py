"""Live scoreboards: computed once per change and audience, fanned out in memory to every watcher.

Each API process keeps a `Feed` per contest that someone watches there. A
feed reads the contest from the database once per change (after letting a
burst of changes settle), computes the board for each audience watching
(admins, everyone else) and hands the same JSON text to all its watchers:
hundreds of watchers cost one read (three queries) and at most two
computations per change, never one per watcher.

What changes a board reaches every API process:

- a contest submission judged: the worker's `done` notification on the
  submissions channel (`notify`), matched against the ids the feed saw;
- a contest submission made, a user joining, the contest replaced, a
  rejudge: the API that did it announces the contest (`Service.contest_changed`,
  over Redis on `CONTEST_CHANNEL`);
- the freeze starting: a timer.

A `done` for an id the feed has not seen (a submission made elsewhere) is
covered by that submission's own announcement, unless the feed is reading
the database at that moment: then it reads again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime

import msgspec

from runners.contests import Scoreboard, scoreboard
from runners.queue.notify import Notice
from runners.store import contests
from runners.store.database import Database, now
from runners.store.models import ContestRow

log = logging.getLogger(__name__)
SETTLE = 0.2  # seconds a change waits for others, so that a burst costs one computation


def board(db: Database, contest: ContestRow, admin: bool) -> Scoreboard:
    """The scoreboard of `contest` as admins (`admin`) or everyone else see it now."""
    users, entries = contests.standing(db, contest.id)
    return scoreboard(contest.slug, contests.rules(contest), users, entries, admin=admin, now=now())


@dataclass(frozen=True)
class Reading:
    """One read of a contest: its boards by audience, the submissions seen, the next timer."""

    boards: dict[bool, str]
    ids: set[int]
    wake_at: datetime | None


def read(db: Database, contest_id: int, audiences: set[bool]) -> Reading | None:
    """Read the contest once and compute its board for each audience; None if it is gone."""
    with db.session() as session:
        contest = session.get(ContestRow, contest_id)
    if contest is None:
        return None
    users, entries = contests.standing(db, contest_id)
    rules = contests.rules(contest)
    moment = now()
    boards = {
        admin: msgspec.json.encode(
            scoreboard(contest.slug, rules, users, entries, admin=admin, now=moment)
        ).decode()
        for admin in audiences
    }
    freeze = rules.freeze_start
    wake_at = freeze if freeze is not None and freeze > moment else None
    return Reading(boards, {entry.id for entry in entries}, wake_at)


@dataclass(eq=False)
class Feed:
    """One contest's boards in this process, versioned per audience, and who watches."""

    contest_id: int
    watchers: dict[bool, int] = field(default_factory=lambda: {False: 0, True: 0})
    boards: dict[bool, tuple[int, str]] = field(default_factory=dict)  # (version, JSON)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    dirty: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ids: set[int] = field(default_factory=set)
    reading: bool = False
    wake_at: datetime | None = None
    task: asyncio.Task[None] | None = None
    reads: int = 0  # database reads so far (for tests and curiosity)

    def version(self, admin: bool) -> int:
        return self.boards[admin][0] if admin in self.boards else -1

    def audiences(self) -> set[bool]:
        return {admin for admin, count in self.watchers.items() if count}


class Scoreboards:
    """The feeds of this API process; `*_changed` may be called from any thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.feeds: dict[int, Feed] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def _soon(self, mark: Callable[[int], None], changed: int) -> None:
        loop = self._loop
        if loop is not None and self.feeds:  # nobody watches: nothing to do
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(mark, changed)

    def contest_changed(self, notice: Notice) -> None:
        self._soon(self._mark_contest, notice.id)

    def submission_changed(self, notice: Notice) -> None:
        if notice.done:  # a finished test changes no board
            self._soon(self._mark_submission, notice.id)

    def _mark_contest(self, contest_id: int) -> None:
        feed = self.feeds.get(contest_id)
        if feed is not None:
            feed.dirty.set()

    def _mark_submission(self, submission_id: int) -> None:
        for feed in self.feeds.values():
            if submission_id in feed.ids or feed.reading:
                feed.dirty.set()

    async def _refresh(self, feed: Feed, unless: bool | None = None) -> None:
        """Read the contest and publish what changed (not if audience `unless` has a board)."""
        async with feed.lock:
            if unless is not None and unless in feed.boards:
                return  # another watcher's read came first
            feed.reading = True
            try:
                reading = await asyncio.to_thread(read, self.db, feed.contest_id, feed.audiences())
            finally:
                feed.reading = False
            feed.reads += 1
            if reading is None:
                return
            feed.ids, feed.wake_at = reading.ids, reading.wake_at
            async with feed.changed:
                for admin, text in reading.boards.items():
                    version, old = feed.boards.get(admin, (-1, ""))
                    if text != old:
                        feed.boards[admin] = (version + 1, text)
                feed.changed.notify_all()

    async def _follow(self, feed: Feed) -> None:
        """Refresh the feed after each change (or when the freeze starts) while watched."""
        while True:
            timeout = (feed.wake_at - now()).total_seconds() if feed.wake_at else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(feed.dirty.wait(), timeout)
            await asyncio.sleep(SETTLE)
            feed.dirty.clear()
            try:
                await self._refresh(feed)
            except Exception:  # the database went away: the next change tries again
                log.exception("scoreboard of contest %s not refreshed", feed.contest_id)

    def _enter(self, contest_id: int, admin: bool) -> Feed:
        feed = self.feeds.get(contest_id)
        if feed is None:
            feed = self.feeds[contest_id] = Feed(contest_id)
            feed.task = asyncio.get_running_loop().create_task(self._follow(feed))
        feed.watchers[admin] += 1
        return feed

    def _leave(self, feed: Feed, admin: bool) -> None:
        feed.watchers[admin] -= 1
        if not feed.audiences() and self.feeds.get(feed.contest_id) is feed:
            del self.feeds[feed.contest_id]
            if feed.task is not None:
                feed.task.cancel()

    async def watch(self, contest_id: int, admin: bool) -> AsyncIterator[str]:
        """The board as JSON now, then each time it changes (for as long as iterated)."""
        feed = self._enter(contest_id, admin)
        try:
            if admin not in feed.boards:
                await self._refresh(feed, unless=admin)
            seen = -1
            while True:
                async with feed.changed:
                    while feed.version(admin) <= seen:
                        await feed.changed.wait()
                    seen, text = feed.boards[admin]
                yield text
        finally:
            self._leave(feed, admin)
