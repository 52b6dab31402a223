"""`/submissions`: create (optionally waiting for the verdict), read, and follow as events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import msgspec
from anyio import to_thread
from litestar import get, post
from litestar.exceptions import (
    HTTPException,
    NotFoundException,
    PermissionDeniedException,
    ServiceUnavailableException,
)
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import ServerSentEvent, ServerSentEventMessage

from judge_api.admission import placement
from judge_api.auth import CallerDep, ServiceDep, throttle
from judge_api.errors import UnprocessableError, responses
from judge_api.openapi import BEARER
from judge_api.routes.exercises import AcceptLanguage, LanguageQuery, wanted_languages
from judge_api.schemas import SubmissionId, SubmissionIn, SubmissionOut
from judge_api.service import Service
from judge_api.tokens import Caller
from judge_api.views import view
from judge_api.watch import POLL, wait_for
from languages import all_languages
from runners.judging.exercise.model import DEFAULT_LANGUAGE
from runners.queue.client import QueueUnavailable
from runners.store import submissions
from runners.store.models import ExerciseRow, SubmissionRow

GAP_WAIT = 1.0  # seconds before reading tests a lost notice did not bring (written in batches)


def accept(service: Service, caller: Caller, data: SubmissionIn, readers: list[str]) -> int:
    """Validate, store and enqueue a submission; its id.

    `readers`: the submitter's languages, best first (`wanted_languages`); the
    submission keeps the first one the exercise's wording has, else English.
    """
    source = data.source.encode()
    limit = service.settings.max_source_bytes
    if len(source) > limit:
        raise HTTPException(f"source is {len(source)} bytes, over {limit}", status_code=413)
    with service.db.session() as session:
        exercise = session.get(ExerciseRow, data.exercise)
        if exercise is None:
            raise NotFoundException(f"unknown exercise {data.exercise!r}")
        allowed = list(exercise.languages)
        offered = {exercise.public.language, *exercise.public.translations}
    reader = next((tag for tag in readers if tag in offered), DEFAULT_LANGUAGE)
    if data.language not in all_languages():
        raise UnprocessableError(f"unknown language {data.language!r}")
    if data.language not in allowed:
        raise UnprocessableError(
            f"language {data.language!r} is not allowed for {data.exercise}: use one of {allowed}"
        )
    place = placement(service, caller, data)  # 404, 403 or 409 for a contest that refuses it
    submission_id = submissions.create(
        service.db, data.exercise, data.language, source, caller.id, place.contest_id, reader
    )
    try:
        service.queue.enqueue(submission_id, lane=place.lane)
    except QueueUnavailable as error:
        submissions.delete(service.db, submission_id)
        raise ServiceUnavailableException(f"the queue is unavailable: {error}") from None
    if place.contest_id is not None:
        service.contest_changed(place.contest_id)
    return submission_id


def readable(service: Service, caller: Caller, submission_id: int) -> SubmissionRow:
    """The submission if the caller may see it: 404 unknown, 403 someone else's."""
    row = submissions.get(service.db, submission_id)
    if row is None:
        raise NotFoundException(f"no submission {submission_id}")
    if row.owner_id != caller.id and not caller.is_admin:
        raise PermissionDeniedException(f"submission {submission_id} is not yours")
    return row


async def _row(service: Service, submission_id: int) -> SubmissionRow:
    row = await to_thread.run_sync(submissions.get, service.db, submission_id)
    if row is None:
        raise NotFoundException(f"no submission {submission_id}")
    return row


async def wait_done(service: Service, submission_id: int, timeout: float) -> SubmissionRow:
    """The submission once judged, or as it is after `timeout` seconds.

    The "done" notice comes in memory: the database is read once, at the
    end (and after POLL seconds without news, in case the notice was lost).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    with service.hub.watch(submission_id, tests=False) as watcher:
        while not watcher.done and (left := deadline - loop.time()) > 0:
            if not await watcher.news(min(POLL, left)):
                row = await _row(service, submission_id)
                if row.status == submissions.DONE:
                    return row
    return await _row(service, submission_id)


@post(
    "/submissions",
    status_code=202,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 409, 413, 422, 429, 503),
)
async def create_submission(
    data: JSONBody[SubmissionIn],
    service: ServiceDep,
    caller: CallerDep,
    wait: FromQuery[bool] = False,
    lang: LanguageQuery = None,
    accept_language: AcceptLanguage = None,
) -> SubmissionOut:
    """Submit a source; `?wait=true` holds the reply until judged (bounded by JUDGE_WAIT_MAX).

    The submitter's language (`?lang=`, else Accept-Language) is kept when the
    exercise's wording has it, else English: check scripts see it as LANGUAGE.
    """
    throttle(service, caller)
    readers = wanted_languages(lang, accept_language)
    submission_id = await to_thread.run_sync(accept, service, caller, data, readers)
    timeout = service.settings.wait_max if wait else 0.0
    return view(await wait_done(service, submission_id, timeout))


@get(
    "/submissions/{submission_id:int}",
    sync_to_thread=True,
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
def read_submission(
    submission_id: FromPath[SubmissionId], service: ServiceDep, caller: CallerDep
) -> SubmissionOut:
    """One submission (its owner's, or any for an admin): status, verdict and each test."""
    return view(readable(service, caller, submission_id))


def _event(kind: str, data: Any) -> ServerSentEventMessage:
    return ServerSentEventMessage(event=kind, data=msgspec.json.encode(data).decode())


async def _events(
    service: Service, submission_id: int
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """The tests as they finish, from the notices; the database only to start, end or fill a gap.

    A rejudge makes the submission's tests start over (a new generation).
    """
    sent, generation = 0, 0
    with service.hub.watch(submission_id, tests=True) as watcher:
        while True:
            row = await _row(service, submission_id)
            if row.generation != generation:  # rejudged meanwhile: its tests start over
                sent, generation = 0, row.generation
            for test in row.tests[sent:]:
                yield _event("test", test)
            sent = max(sent, len(row.tests))
            if row.status == submissions.DONE:
                yield _event("result", view(row))
                return
            if watcher.remembered:  # done once, judged again since (a rejudge)
                watcher.done = watcher.remembered = False
            while not watcher.done:
                for test in watcher.take(sent):
                    yield _event("test", test)
                    sent += 1
                if watcher.gap:  # a notice was lost: the database will have it soon
                    await wait_for(watcher, GAP_WAIT)
                    break
                if not await watcher.news():
                    break


@get(
    "/submissions/{submission_id:int}/events",
    media_type="text/event-stream",
    response_description="`test` events (a test result each), then `result` (the submission).",
    security=BEARER,
    responses=responses(400, 401, 403, 404, 503),
)
async def submission_events(
    submission_id: FromPath[SubmissionId], service: ServiceDep, caller: CallerDep
) -> ServerSentEvent:
    """Server-sent events: `test` per finished test, then `result` (the submission) and the end."""
    await to_thread.run_sync(readable, service, caller, submission_id)
    return ServerSentEvent(service.streams.follow(_events(service, submission_id)))


handlers = [create_submission, read_submission, submission_events]
