"""Submissions after the fact: the history (`GET /submissions`), a source, rejudges."""

from __future__ import annotations

import logging
from typing import Annotated

from litestar import get, post
from litestar.exceptions import (
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.params import FromPath, FromQuery, QueryParameter

from judge_api.auth import CallerDep, ServiceDep
from judge_api.errors import responses
from judge_api.openapi import BEARER
from judge_api.routes.submissions import readable
from judge_api.schemas import (
    ID_MAX,
    RejudgeOut,
    Slug,
    SourceOut,
    SubmissionId,
    SubmissionPage,
    name_parameter,
    slug_parameter,
)
from judge_api.service import Service
from judge_api.tokens import Caller
from judge_api.views import summary
from runners.judging.verdict import Verdict
from runners.queue.client import QueueUnavailable
from runners.queue.lanes import Lane
from runners.queue.notify import Notice
from runners.store import contests, history, submissions, users
from runners.store.models import ExerciseRow

log = logging.getLogger(__name__)
PAGE = 50

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Submissions a page.")]
ExerciseFilter = Annotated[str | None, slug_parameter("Only submissions to this exercise", "sum")]
ContestFilter = Annotated[str | None, slug_parameter("Only submissions to this contest", "cup")]
UserFilter = Annotated[str | None, name_parameter("Only this user's submissions")]
# Opaque to clients; an id to us, so never past the ids the database holds.
Cursor = Annotated[
    str | None,
    QueryParameter(pattern="^[1-9][0-9]{0,9}$", description="The `next` of the page before."),
]


def _owner(service: Service, caller: Caller, name: str | None) -> int | None:
    """The owner to filter on: users see their own only, admins anyone's (or everyone's)."""
    if not caller.is_admin:
        if name is not None and name != caller.name:
            raise PermissionDeniedException("you may list only your own submissions")
        return caller.id
    if name is None:
        return None
    user = users.find_user(service.db, name)
    if user is None:
        raise NotFoundException(f"unknown user {name!r}")
    return user.id


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if int(cursor) > ID_MAX:
        raise ValidationException(f"cursor {cursor!r} is not one this API gave")
    return int(cursor)


@get(
    "/submissions",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def list_submissions(
    service: ServiceDep,
    caller: CallerDep,
    exercise: ExerciseFilter = None,
    user: UserFilter = None,
    contest: ContestFilter = None,
    verdict: FromQuery[Verdict | None] = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
) -> SubmissionPage:
    """Submissions newest first, without their tests; `next` is the cursor of the next page."""
    contest_id = None
    if contest is not None:
        found = contests.find(service.db, contest)
        if found is None:
            raise NotFoundException(f"unknown contest {contest!r}")
        contest_id = found.id
    filters = history.Filters(
        _owner(service, caller, user), exercise, contest_id, verdict.value if verdict else None
    )
    page = history.page(service.db, filters, limit, _before(cursor))
    after = str(page.before) if page.before is not None else None
    return SubmissionPage([summary(row) for row in page.rows], after)


@get(
    "/submissions/{submission_id:int}/source",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def read_source(
    submission_id: FromPath[SubmissionId], service: ServiceDep, caller: CallerDep
) -> SourceOut:
    """The source as submitted, to its owner and admins."""
    row = readable(service, caller, submission_id)
    return SourceOut(row.language, row.source.decode(errors="replace"))


def _may_rejudge(service: Service, caller: Caller, exercise: str) -> None:
    """403 unless the caller is an admin or the exercise's author."""
    if caller.is_admin:
        return
    with service.db.session() as session:
        row = session.get(ExerciseRow, exercise)
        owner = row.owner_id if row else None
    if owner is None or owner != caller.id:
        raise PermissionDeniedException(
            f"only admins and the author of {exercise!r} may rejudge its submissions"
        )


def _requeue(service: Service, rejudged: list[submissions.Rejudged]) -> RejudgeOut:
    """Enqueue the rejudged (their rows are queued already) and tell who follows them."""
    for submission in rejudged:
        try:
            service.queue.enqueue(submission.id, lane=Lane.REJUDGE)
        except QueueUnavailable as error:  # the sweeper enqueues them once the queue is back
            log.warning("rejudge of %s waits for the queue: %s", submission.id, error)
        service.news.publish(Notice(submission.id))  # judged again: done no more
    for contest_id in sorted({s.contest_id for s in rejudged if s.contest_id is not None}):
        service.contest_changed(contest_id)
    return RejudgeOut(len(rejudged))


@post(
    "/submissions/{submission_id:int}/rejudge",
    status_code=202,
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def rejudge_submission(
    submission_id: FromPath[SubmissionId], service: ServiceDep, caller: CallerDep
) -> RejudgeOut:
    """Judge a submission again (the exercise's author, or an admin); 0 if it is still queued."""
    row = submissions.get(service.db, submission_id)
    if row is None:
        raise NotFoundException(f"no submission {submission_id}")
    _may_rejudge(service, caller, row.exercise)
    return _requeue(service, submissions.rejudge_submission(service.db, submission_id))


@post(
    "/exercises/{slug:str}/rejudge",
    status_code=202,
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def rejudge_exercise(slug: FromPath[Slug], service: ServiceDep, caller: CallerDep) -> RejudgeOut:
    """Judge every submission to an exercise again (its author, or an admin)."""
    with service.db.session() as session:
        if session.get(ExerciseRow, slug) is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
    _may_rejudge(service, caller, slug)
    return _requeue(service, submissions.rejudge_exercise(service.db, slug))


handlers = [list_submissions, read_source, rejudge_submission, rejudge_exercise]
