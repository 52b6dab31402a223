"""`/contests`: create and replace (authors, admins), read, join, and the scoreboard, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime

from anyio import to_thread
from litestar import get, post, put
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.params import FromPath, JSONBody
from litestar.response import ServerSentEvent, ServerSentEventMessage
from sqlalchemy import select

from judge_api.auth import CallerDep, ServiceDep, ViewerDep, require
from judge_api.errors import UnprocessableError, responses
from judge_api.openapi import BEARER, OPTIONAL_BEARER
from judge_api.schemas import (
    WHEN_MAX,
    WHEN_MIN,
    ContestIn,
    ContestOut,
    ContestSlug,
    NewContestIn,
)
from judge_api.scoreboards import board
from judge_api.service import Service
from judge_api.tokens import Caller, Role
from runners.contests import Phase, Scoreboard
from runners.judging.exercise import SLUG
from runners.store import contests
from runners.store.database import now
from runners.store.models import ContestRow, ExerciseRow


def _instant(field: str, moment: datetime) -> datetime:
    """`moment` in UTC, as the database keeps it (SQLite drops the offset); 400 out of range."""
    try:
        instant: datetime | None = moment.astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 once in UTC
        instant = None
    if instant is None or not WHEN_MIN <= instant < WHEN_MAX:
        raise ValidationException(
            f"{field}: {moment.isoformat()} is out of range: from 1970 to 9998, in UTC"
        )
    return instant


def _terms(service: Service, data: ContestIn) -> contests.Terms:
    """The body's terms once checked: 400 out of range, 422 inconsistent, 404 unknown exercise."""
    start, end = _instant("start", data.start), _instant("end", data.end)
    if start >= end:
        raise UnprocessableError("start must be before end")
    minutes = (end - start).total_seconds() / 60
    if data.freeze > minutes:
        raise UnprocessableError(f"freeze is {data.freeze} minutes, longer than the contest")
    if len(set(data.exercises)) != len(data.exercises):
        raise UnprocessableError("an exercise is listed twice")
    with service.db.session() as session:
        known = set(
            session.scalars(select(ExerciseRow.slug).where(ExerciseRow.slug.in_(data.exercises)))
        )
    unknown = [slug for slug in data.exercises if slug not in known]
    if unknown:
        raise NotFoundException(f"unknown exercise {unknown[0]!r}")
    return contests.Terms(
        data.title, data.exercises, start, end, data.format, data.freeze, data.penalty
    )


def _view(row: ContestRow) -> ContestOut:
    rules = contests.rules(row)
    return ContestOut(
        slug=row.slug, title=row.title, exercises=list(row.exercises),
        start=rules.start.isoformat(), end=rules.end.isoformat(), format=rules.format,
        freeze=rules.freeze, penalty=rules.penalty, phase=rules.phase(now()),
    )  # fmt: skip


def _contest(service: Service, slug: str) -> ContestRow:
    contest = contests.find(service.db, slug)
    if contest is None:
        raise NotFoundException(f"unknown contest {slug!r}")
    return contest


@post(
    "/contests",
    status_code=201,
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 409, 413, 422, 503),
)
def create_contest(
    data: JSONBody[NewContestIn], service: ServiceDep, caller: CallerDep
) -> ContestOut:
    """Create a contest (authors and admins); 409 if the slug is taken."""
    require(caller, Role.AUTHOR)
    if not SLUG.fullmatch(data.slug):
        raise UnprocessableError("the slug takes lowercase letters, digits, - and _")
    terms = _terms(service, data)
    try:
        row = contests.create(service.db, data.slug, terms, caller.id)
    except contests.SlugTaken:
        message = f"contest {data.slug!r} exists: PUT to replace it"
        raise HTTPException(message, status_code=409) from None
    return _view(row)


def _may_change(caller: Caller, contest: ContestRow) -> None:
    require(caller, Role.AUTHOR)
    if not caller.is_admin and contest.owner_id != caller.id:
        raise PermissionDeniedException(f"contest {contest.slug!r} belongs to another author")


@put(
    "/contests/{slug:str}",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 413, 422, 503),
)
def replace_contest(
    slug: FromPath[ContestSlug], data: JSONBody[ContestIn], service: ServiceDep, caller: CallerDep
) -> ContestOut:
    """Replace a contest (its author, or an admin); its submissions are scored anew."""
    contest = _contest(service, slug)
    _may_change(caller, contest)
    row = contests.replace(service.db, contest.id, _terms(service, data))
    service.contest_changed(row.id)
    return _view(row)


@get("/contests", sync_to_thread=True, responses=responses(503))
def list_contests(service: ServiceDep) -> list[ContestOut]:
    """Every contest, the latest to start first."""
    return [_view(row) for row in contests.everything(service.db)]


@get("/contests/{slug:str}", sync_to_thread=True, responses=responses(400, 404, 503))
def read_contest(slug: FromPath[ContestSlug], service: ServiceDep) -> ContestOut:
    """One contest: its terms, and its phase now (upcoming, running or ended)."""
    return _view(_contest(service, slug))


@post(
    "/contests/{slug:str}/join",
    status_code=204,
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 404, 409, 503),
)
def join_contest(slug: FromPath[ContestSlug], service: ServiceDep, caller: CallerDep) -> None:
    """Register the caller (204, and 204 again); 409 once the contest has ended."""
    contest = _contest(service, slug)
    rules = contests.rules(contest)
    if rules.phase(now()) is Phase.ENDED:
        raise HTTPException(
            f"contest {slug!r} ended at {rules.end.isoformat()}: it takes no one now",
            status_code=409,
        )
    if contests.enter(service.db, contest.id, caller.id):
        service.contest_changed(contest.id)


@get(
    "/contests/{slug:str}/scoreboard",
    sync_to_thread=True,
    security=OPTIONAL_BEARER,
    responses=responses(400, 401, 404, 503),
)
def read_scoreboard(
    slug: FromPath[ContestSlug], service: ServiceDep, viewer: ViewerDep
) -> Scoreboard:
    """The scoreboard: as everyone sees it, or whole for an admin's token."""
    contest = _contest(service, slug)
    return board(service.db, contest, admin=viewer is not None and viewer.is_admin)


async def _scoreboard_events(
    service: Service, contest_id: int, admin: bool
) -> AsyncGenerator[ServerSentEventMessage, None]:
    async for text in service.scoreboards.watch(contest_id, admin):
        yield ServerSentEventMessage(event="scoreboard", data=text)


@get(
    "/contests/{slug:str}/scoreboard/events",
    media_type="text/event-stream",
    response_description="`scoreboard` events, each the whole scoreboard.",
    security=OPTIONAL_BEARER,
    responses=responses(400, 401, 404, 503),
)
async def scoreboard_events(
    slug: FromPath[ContestSlug], service: ServiceDep, viewer: ViewerDep
) -> ServerSentEvent:
    """Server-sent events: `scoreboard`, the whole board, now and after each change."""
    contest = await to_thread.run_sync(_contest, service, slug)
    admin = viewer is not None and viewer.is_admin
    return ServerSentEvent(service.streams.follow(_scoreboard_events(service, contest.id, admin)))


handlers = [
    create_contest,
    replace_contest,
    list_contests,
    read_contest,
    join_contest,
    read_scoreboard,
    scoreboard_events,
]
