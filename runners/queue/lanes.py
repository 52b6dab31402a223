"""Lanes: the queues a submission waits in, judged in this order.

| lane | who waits there |
|---|---|
| `contest` | a contest submission, its user's first one waiting in a contest |
| `contest_more` | the same user's further contest submissions |
| `practice` | a practice submission, its user's first one waiting |
| `practice_more` | the same user's further practice submissions |
| (runs) | `POST /runs`, on a queue of their own (runners/queue/broker.py) |
| `rejudge` | rejudged submissions |

Each lane is a queue of its own rather than a dramatiq priority on one
queue: with Redis, an actor's priority only orders the messages a worker
has already fetched, so a contest submission behind a thousand practice
ones in the same Redis list would wait for all of them. With a list per
lane, every worker fetches from each lane, and its threads take what they
hold by lane (the actor's priority), oldest first within a lane.

Fairness: a user's second and later waiting submissions go to the `_more`
lane of their kind, behind everyone's first, so a user's tenth queued
submission never goes before another user's first. The lane is chosen when
the submission is accepted; one enqueued again (a retry after an
infrastructure failure, the sweeper's re-enqueue of a lost message, a restart
of the embedded service) has waited already, so it goes to the first lane of
its kind, or back to `rejudge` when a rejudge queued it.
"""

from __future__ import annotations

from enum import IntEnum


class Lane(IntEnum):
    """A lane; its value is its actor's priority (dramatiq runs the lowest first)."""

    CONTEST = 0
    CONTEST_MORE = 1
    PRACTICE = 2
    PRACTICE_MORE = 3
    REJUDGE = 5  # runs (runners.queue.broker.RUN_PRIORITY) go just before

    @property
    def queue(self) -> str:
        # the practice lane keeps the name of the one queue of earlier versions
        return "judge" if self is Lane.PRACTICE else f"judge_{self.name.lower()}"

    @property
    def actor(self) -> str:
        return "judge_submission" if self is Lane.PRACTICE else f"judge_{self.name.lower()}"


def lane_of(in_contest: bool, waiting: int) -> Lane:
    """The lane of a new submission, given how many of its user's (of its kind) wait already."""
    if in_contest:
        return Lane.CONTEST if waiting == 0 else Lane.CONTEST_MORE
    return Lane.PRACTICE if waiting == 0 else Lane.PRACTICE_MORE


def lane_again(contest_id: int | None, generation: int) -> Lane:
    """The lane of a submission enqueued again, from what its row says of it."""
    if generation > 0:
        return Lane.REJUDGE
    return Lane.CONTEST if contest_id is not None else Lane.PRACTICE
