"""Where a new submission goes: its contest, if it names one that takes it, and its lane.

A contest takes a submission from a registered user, for one of its
exercises, between its start and its end (frozen or not); otherwise 404
(unknown contest, exercise not in it), 403 (not registered) or 409 (not
running), in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException

from judge_api.schemas import SubmissionIn
from judge_api.service import Service
from judge_api.tokens import Caller
from runners.contests import Phase
from runners.queue.lanes import Lane, lane_of
from runners.store import contests, submissions
from runners.store.database import now


class NotRunning(HTTPException):
    status_code = 409


@dataclass(frozen=True)
class Placement:
    contest_id: int | None
    lane: Lane


def admit(service: Service, caller: Caller, slug: str, exercise: str) -> int:
    """The id of contest `slug` if it takes this caller's submission to `exercise`."""
    contest = contests.find(service.db, slug)
    if contest is None:
        raise NotFoundException(f"unknown contest {slug!r}")
    if exercise not in contest.exercises:
        raise NotFoundException(f"exercise {exercise!r} is not in contest {slug!r}")
    if not contests.is_entrant(service.db, contest.id, caller.id):
        raise PermissionDeniedException(
            f"you are not registered to contest {slug!r}: POST /contests/{slug}/join first"
        )
    rules = contests.rules(contest)
    phase = rules.phase(now())
    if phase is Phase.UPCOMING:
        raise NotRunning(f"contest {slug!r} is not running: it starts at {rules.start.isoformat()}")
    if phase is Phase.ENDED:
        raise NotRunning(f"contest {slug!r} is not running: it ended at {rules.end.isoformat()}")
    return contest.id


def placement(service: Service, caller: Caller, data: SubmissionIn) -> Placement:
    """The contest (admitted) and the lane of a submission about to be stored."""
    contest_id = admit(service, caller, data.contest, data.exercise) if data.contest else None
    waiting = submissions.waiting(service.db, caller.id, in_contest=contest_id is not None)
    return Placement(contest_id, lane_of(contest_id is not None, waiting))
