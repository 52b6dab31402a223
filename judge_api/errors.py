"""Every error as JSON with a human `message` (`schemas.ErrorOut`); never a traceback.

`responses(...)` documents, in the OpenAPI schema, the errors a route may answer.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.openapi import ResponseSpec
from sqlalchemy.exc import OperationalError

from judge_api.schemas import ErrorOut

log = logging.getLogger(__name__)

MEANINGS = {
    400: 'Malformed request: broken JSON, wrong types (strictly: "1" is no number, booleans'
    " are true or false), unknown fields, a value out of its range.",
    401: "Missing or unknown token (`Authorization: Bearer TOKEN`).",
    403: "The caller's role, or ownership, does not allow this; or a contest the caller did"
    " not join.",
    404: "Unknown exercise, submission, contest or user; or an exercise not in the contest.",
    409: "The exercise or contest exists already; or the contest is not running (or ended,"
    " to join).",
    413: "The body, the source or the input is too large.",
    422: "Well formed but refused: unknown language, language not allowed for the exercise,"
    " invalid exercise folder, inconsistent contest (ending before it starts, an exercise"
    " listed twice, a freeze longer than the contest).",
    429: "Rate-limited: retry after the seconds in `Retry-After`.",
    503: "The database or the queue is unavailable, or the workers too busy: retry later.",
}


class UnprocessableError(HTTPException):
    """422: well-formed input the judge cannot take (unknown language, invalid exercise)."""

    status_code = 422


def responses(*codes: int) -> dict[int, ResponseSpec]:
    """The OpenAPI responses of these error statuses, each with the error body."""
    return {
        code: ResponseSpec(ErrorOut, description=MEANINGS[code], generate_examples=False)
        for code in codes
    }


def _json(status: int, message: str, headers: dict[str, str] | None = None) -> Response[ErrorOut]:
    return Response(
        ErrorOut(message, status), status_code=status, headers=headers, media_type=MediaType.JSON
    )


def _details(extra: Any) -> str:
    """Litestar's validation details (`[{"key": ..., "message": ...}]`) as one line."""
    if not isinstance(extra, list):
        return ""
    parts = [
        f"{item['key']}: {item['message']}" if item.get("key") else str(item.get("message"))
        for item in extra
        if isinstance(item, dict)
    ]
    return f": {'; '.join(parts)}" if parts else ""


def http_error(_request: Request[Any, Any, Any], error: HTTPException) -> Response[ErrorOut]:
    return _json(error.status_code, f"{error.detail}{_details(error.extra)}", error.headers)


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[ErrorOut]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return _json(500, "internal error: the judge failed, this is not your fault")


def undecodable(_request: Request[Any, Any, Any], error: UnicodeDecodeError) -> Response[ErrorOut]:
    # Litestar lets msgspec's UnicodeDecodeError through; it is bad input, not a crash.
    return _json(400, f"the body is not valid UTF-8: {error.reason}")


def database_down(request: Request[Any, Any, Any], error: OperationalError) -> Response[ErrorOut]:
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, error)
    return _json(503, "the database is unavailable, try again later")


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    UnicodeDecodeError: undecodable,
    OperationalError: database_down,
    Exception: unexpected_error,
}
