"""Every error as JSON with a human `message`; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)


class UnprocessableError(HTTPException):
    """422: well-formed input the judge cannot take (unknown language, invalid exercise)."""

    status_code = 422


def http_error(_request: Request[Any, Any, Any], error: HTTPException) -> Response[object]:
    body: dict[str, object] = {"message": error.detail, "status_code": error.status_code}
    if error.extra:
        body["extra"] = error.extra
    return Response(
        body, status_code=error.status_code, headers=error.headers, media_type=MediaType.JSON
    )


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[object]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    body = {
        "message": "internal error: the judge failed, this is not your fault",
        "status_code": 500,
    }
    return Response(body, status_code=500, media_type=MediaType.JSON)


def undecodable(_request: Request[Any, Any, Any], error: UnicodeDecodeError) -> Response[object]:
    # Litestar lets msgspec's UnicodeDecodeError through; it is bad input, not a crash.
    body = {"message": f"the body is not valid UTF-8: {error.reason}", "status_code": 400}
    return Response(body, status_code=400, media_type=MediaType.JSON)


def database_down(request: Request[Any, Any, Any], error: OperationalError) -> Response[object]:
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, error)
    body = {"message": "the database is unavailable, try again later", "status_code": 503}
    return Response(body, status_code=503, media_type=MediaType.JSON)


EXCEPTION_HANDLERS = {
    HTTPException: http_error,
    UnicodeDecodeError: undecodable,
    OperationalError: database_down,
    Exception: unexpected_error,
}
