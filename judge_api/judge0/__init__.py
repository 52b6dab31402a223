"""Judge0's API (1.13.1, CE) under `/judge0`, so that Judge0's clients work unchanged.

See README.md beside this file: the mapping, its limits, and what it adds.
`router()` is mounted by the application; its submissions are runs, done by
the same queue, workers and sandboxes as everything else.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router
from litestar.di import Provide
from litestar.exceptions import HTTPException, NotAuthorizedException

from judge_api.auth import ServiceDep
from judge_api.judge0.routes import handlers
from judge_api.judge0.schemas import ErrorOut
from judge_api.tokens import Caller, find_caller

HOW = "send 'X-Auth-Token: TOKEN' or 'Authorization: Bearer TOKEN'"


def _secret(request: Request[Any, Any, Any]) -> str | None:
    """Judge0's header, else the bearer token this judge's other routes take."""
    secret = request.headers.get("x-auth-token", "").strip()
    if not secret:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        secret = value.strip() if scheme.lower() == "bearer" else ""
    return secret or None


def provide_caller(request: Request[Any, Any, Any], service: ServiceDep) -> Caller:
    """The holder of the token sent, or 401."""
    secret = _secret(request)
    caller = find_caller(service.db, secret) if secret else None
    if caller is None:
        reason = "unknown token" if secret else f"missing token: {HOW}"
        raise NotAuthorizedException(reason, headers={"WWW-Authenticate": "Bearer"})
    return caller


def judge0_error(_request: Request[Any, Any, Any], error: HTTPException) -> Response[ErrorOut]:
    """Judge0's error body, `{"error": "..."}`, with the status and headers of `error`."""
    message = str(error.detail)
    if isinstance(error.extra, list):  # Litestar's validation details
        message += "".join(
            f"; {item.get('key') or ''}: {item.get('message')}"
            for item in error.extra
            if isinstance(item, dict)
        )
    return Response(
        ErrorOut(message),
        status_code=error.status_code,
        headers=error.headers,
        media_type=MediaType.JSON,
    )


def router() -> Router:
    """The routes under `/judge0`, with Judge0's authentication and error bodies.

    Left out of the OpenAPI schema of `/api/v1` on purpose: see README.md.
    """
    return Router(
        path="/judge0",
        route_handlers=handlers,
        dependencies={"caller": Provide(provide_caller, sync_to_thread=True)},
        exception_handlers={HTTPException: judge0_error},
        include_in_schema=False,
    )
