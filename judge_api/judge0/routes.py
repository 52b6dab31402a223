"""Judge0 1.13.1's routes: information, languages and statuses, submissions and batches.

A submission is a run (runners/store/runs.py) with a token: stored, queued
and done by the same workers and sandboxes as `POST /api/v1/runs`, fetched
by token by any API process. `?wait=true` waits for the worker's notice as
`/runs` does, at most JUDGE_WAIT_MAX seconds plus the run's wall time, then
answers with the submission as it is (In Queue or Processing, which a
client polls like any other); the run is never dropped.
"""

from __future__ import annotations

import shlex
import uuid
from functools import partial
from typing import Any

from anyio import to_thread
from litestar import MediaType, Request, Response, get, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody

from judge_api.auth import CallerDep, ServiceDep, require, throttle
from judge_api.judge0.rules import BATCH_MAX, Judge0Request, judge0_config, validate
from judge_api.judge0.schemas import (
    About,
    BatchIn,
    BatchOut,
    ConfigInfo,
    FieldErrors,
    LanguageDetail,
    LanguageOut,
    StatusOut,
    SubmissionIn,
    SubmissionOut,
    TokenErrorOut,
    TokenOut,
)
from judge_api.judge0.tables import LANGUAGES, STATUSES, language_name
from judge_api.judge0.views import NotUtf8, requested_fields, view
from judge_api.routes.runs import enqueue
from judge_api.service import Service
from judge_api.tokens import Caller, Role
from judge_api.watch import watch_until
from languages import Language, all_languages
from languages.runs import WALL_MARGIN
from runners.store import lease, runs
from runners.store.models import RunRow

VERSION = "1.13.1"  # clients choose language ids by it (the Python SDK does)
NOT_UTF8 = (
    "some attributes for {} cannot be converted to UTF-8, use base64_encoded=true query parameter"
)


def _true(value: str | None) -> bool:
    """A flag in the query string: Judge0 takes "true" for true, anything else for false."""
    return value == "true"


def _fields(fields: str | None) -> list[str]:
    chosen, unknown = requested_fields(fields)
    if unknown:
        raise HTTPException(f"invalid fields: [{', '.join(unknown)}]", status_code=400)
    return chosen


def _batch_size(count: int) -> None:
    if count > BATCH_MAX:
        message = f"number of submissions in a batch should be less than or equal to {BATCH_MAX}"
        raise HTTPException(message, status_code=400)
    if count == 0:
        raise HTTPException("there should be at least one submission in a batch", status_code=400)


def _visible(row: RunRow | None, caller: Caller) -> RunRow | None:
    """The run if the caller may see it (theirs, or any for an admin), else None."""
    if row is None or not (row.owner_id == caller.id or caller.is_admin):
        return None
    return row


@get("/about", sync_to_thread=False)
def about() -> About:
    """Judge0's version this API speaks: clients pick language ids by it."""
    return About(VERSION, None, None, "judge: Judge0's API over this judge's queue and sandbox")


@get("/version", media_type=MediaType.TEXT, sync_to_thread=False)
def version() -> str:
    return VERSION


@get("/config_info", sync_to_thread=False)
def config_info(service: ServiceDep) -> ConfigInfo:
    """This judge's limits and features, in Judge0's fields."""
    return judge0_config(service.settings)


def _installed() -> list[tuple[int, str, Language]]:
    plugins = all_languages()
    return [
        (entry.id, language_name(entry, plugins[entry.plugin]), plugins[entry.plugin])
        for entry in LANGUAGES.values()
        if entry.plugin in plugins
    ]


@get("/languages", sync_to_thread=True)  # the first call probes the toolchains' versions
def languages() -> list[LanguageOut]:
    """Judge0 CE's ids of this judge's languages, by name as Judge0 sorts them."""
    found = sorted(_installed(), key=lambda entry: (entry[1], entry[0]))
    return [LanguageOut(id_, name) for id_, name, _ in found]


def _command(plugin: Language, command: tuple[str, ...]) -> str:
    return shlex.join(plugin.expand(command) if plugin.toolchain_path else command)


@get("/languages/{language_id:int}", sync_to_thread=True)
def language(language_id: FromPath[int]) -> LanguageDetail:
    """A language with the commands that compile and run it here."""
    for id_, name, plugin in _installed():
        if id_ == language_id:
            compile_cmd = (
                _command(plugin, plugin.compile) if plugin.compile and plugin.artifact else None
            )
            return LanguageDetail(
                id_, name, False, plugin.source_name, compile_cmd, _command(plugin, plugin.run)
            )
    raise NotFoundException(f"no language with id {language_id}")


@get("/statuses", sync_to_thread=False)
def statuses() -> list[StatusOut]:
    return [StatusOut(number, description) for number, description in STATUSES.items()]


@post("/authenticate", status_code=200, sync_to_thread=False)
def authenticate(caller: CallerDep) -> None:
    """200 when the token is valid (else 401)."""


@post("/authorize", status_code=200, sync_to_thread=False)
def authorize(caller: CallerDep) -> None:
    """200 for an admin's token (Judge0's authorization token), else 403."""
    require(caller, Role.ADMIN)


def _store(service: Service, caller: Caller, request: Judge0Request) -> tuple[int, str]:
    """Store and queue one submission as a run; its id and token."""
    token = str(uuid.uuid4())
    judge0 = runs.Judge0Run(token, request.expected_output, request.wall_time, request.language.id)
    run_id = runs.create(
        service.db, caller.id, request.language.plugin, request.source, request.stdin,
        request.cpu_time, request.memory_mib, judge0,
    )  # fmt: skip
    enqueue(service, run_id)
    return run_id, token


async def _waited(service: Service, run_id: int, request: Judge0Request) -> RunRow | None:
    """The run once done, or as it is after JUDGE_WAIT_MAX seconds plus its wall time."""
    wall = request.wall_time or request.cpu_time + WALL_MARGIN
    return await watch_until(
        service.run_hub,
        run_id,
        partial(runs.get, service.db, run_id),
        lambda row: row is None or row.status == lease.DONE,
        service.settings.wait_max + wall,
    )


@post("/submissions", status_code=201)
async def create_submission(
    data: JSONBody[SubmissionIn],
    service: ServiceDep,
    caller: CallerDep,
    base64_encoded: FromQuery[str | None] = None,
    wait: FromQuery[str | None] = None,
    fields: FromQuery[str | None] = None,
) -> Response[Any]:
    """Create a submission: 201 with its token, or with the submission itself with `?wait=true`."""
    chosen, encoded = _fields(fields), _true(base64_encoded)
    request = validate(data, encoded, service.settings)
    if not isinstance(request, Judge0Request):
        return Response[FieldErrors](request, status_code=422)
    throttle(service, caller)
    run_id, token = await to_thread.run_sync(_store, service, caller, request)
    row = await _waited(service, run_id, request) if _true(wait) else None
    if row is None:
        return Response(TokenOut(token), status_code=201)
    try:
        return Response(view(row, chosen, encoded), status_code=201)
    except NotUtf8:
        return Response(TokenErrorOut(token, NOT_UTF8.format("this submission")), status_code=201)


@get("/submissions/{token:str}")
async def get_submission(
    token: FromPath[str],
    service: ServiceDep,
    caller: CallerDep,
    base64_encoded: FromQuery[str | None] = None,
    fields: FromQuery[str | None] = None,
) -> SubmissionOut:
    """A submission by token; someone else's is not found (unless the caller is an admin)."""
    chosen = _fields(fields)
    found = await to_thread.run_sync(runs.by_tokens, service.db, [token])
    row = _visible(found.get(token), caller)
    if row is None:
        raise NotFoundException(f"no submission with token {token}")
    try:
        return view(row, chosen, _true(base64_encoded))
    except NotUtf8:
        raise HTTPException(NOT_UTF8.format("this submission"), status_code=400) from None


@post("/submissions/batch", status_code=201)
async def create_batch(
    data: JSONBody[BatchIn],
    service: ServiceDep,
    caller: CallerDep,
    base64_encoded: FromQuery[str | None] = None,
) -> Response[list[TokenOut | FieldErrors]]:
    """Create up to 20 submissions: a token, or the errors, for each; 422 when none is valid."""
    _batch_size(len(data.submissions))
    encoded = _true(base64_encoded)
    checked = [validate(each, encoded, service.settings) for each in data.submissions]
    for request in checked:  # each counts; none is stored when the batch goes over the rate
        if isinstance(request, Judge0Request):
            throttle(service, caller)
    answers: list[TokenOut | FieldErrors] = []
    for request in checked:
        if isinstance(request, Judge0Request):
            _, token = await to_thread.run_sync(_store, service, caller, request)
            answers.append(TokenOut(token))
        else:
            answers.append(request)
    valid = any(isinstance(answer, TokenOut) for answer in answers)
    return Response(answers, status_code=201 if valid else 422)


def _tokens(request: Request[Any, Any, Any], tokens: str | None) -> list[str]:
    """Tokens from the `tokens` header or query parameter, split as Ruby splits them."""
    listed = (request.headers.get("tokens") or tokens or "").strip().split(",")
    while listed and not listed[-1]:
        listed.pop()  # Ruby's split drops trailing empty strings
    return listed


@get("/submissions/batch")
async def get_batch(
    request: Request[Any, Any, Any],
    service: ServiceDep,
    caller: CallerDep,
    tokens: FromQuery[str | None] = None,
    base64_encoded: FromQuery[str | None] = None,
    fields: FromQuery[str | None] = None,
) -> BatchOut:
    """Submissions by token, in the order asked; null for an unknown token."""
    chosen, listed = _fields(fields), _tokens(request, tokens)
    _batch_size(len(listed))
    found = await to_thread.run_sync(runs.by_tokens, service.db, listed)
    encoded = _true(base64_encoded)
    try:
        return BatchOut(
            [
                None if (row := _visible(found.get(token), caller)) is None
                else view(row, chosen, encoded)
                for token in listed
            ]
        )  # fmt: skip
    except NotUtf8:
        message = NOT_UTF8.format("one or more submissions")
        raise HTTPException(message, status_code=400) from None


handlers = [
    about, version, config_info, languages, language, statuses, authenticate, authorize,
    create_submission, get_submission, create_batch, get_batch,
]  # fmt: skip
