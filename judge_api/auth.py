"""Bearer-token authentication, roles and the per-token rate limit.

Browsers' `EventSource` cannot send headers, so server-sent event streams
(and only they: a handler that returns `ServerSentEvent`) also take the token
as `?token=`. A URL ends up in access logs, so `QueryTokenRedaction` blanks
the token out of uvicorn's access log lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.response import ServerSentEvent

from judge_api.service import Service
from judge_api.tokens import Caller, Role, find_caller

# Handler parameters injected by name (see `judge_api.app.create_app`).
ServiceDep = NamedDependency[Service]
CallerDep = NamedDependency[Caller]
ViewerDep = NamedDependency[Caller | None]


def _bearer(request: Request[Any, Any, Any]) -> str | None:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def _holder(service: Service, secret: str) -> Caller:
    caller = find_caller(service.db, secret)
    if caller is None:
        raise NotAuthorizedException("unknown token", headers={"WWW-Authenticate": "Bearer"})
    return caller


def is_event_stream(request: Request[Any, Any, Any]) -> bool:
    """Whether the route answers with server-sent events."""
    return request.route_handler.parsed_return_field.is_subclass_of(ServerSentEvent)


def _secret(request: Request[Any, Any, Any]) -> str | None:
    """The token sent: the bearer header, or `?token=` on event streams only.

    Browsers' EventSource cannot send headers; anywhere else a token in the
    URL would only end up in logs.
    """
    secret = _bearer(request)
    if secret is None and is_event_stream(request):
        secret = request.query_params.get("token", "").strip() or None
    return secret


def provide_caller(request: Request[Any, Any, Any], service: ServiceDep) -> Caller:
    """The caller named by `Authorization: Bearer TOKEN` (or `?token=` on event streams), or 401."""
    secret = _secret(request)
    if secret is None:
        how = "send 'Authorization: Bearer TOKEN'"
        if is_event_stream(request):
            how += " or add ?token=TOKEN"
        raise NotAuthorizedException(
            f"missing token: {how}", headers={"WWW-Authenticate": "Bearer"}
        )
    return _holder(service, secret)


def provide_viewer(request: Request[Any, Any, Any], service: ServiceDep) -> Caller | None:
    """For reads open to all: the caller when a token comes, else None; 401 for a bad token."""
    secret = _secret(request)
    return _holder(service, secret) if secret else None


def require(caller: Caller, *roles: Role) -> None:
    """403 unless the caller has one of `roles` (admins always pass)."""
    if not caller.is_admin and caller.role not in roles:
        raise PermissionDeniedException(f"the {caller.role.value} role cannot do this")


def throttle(service: Service, caller: Caller) -> None:
    """429 with Retry-After once the caller's token is over its rate."""
    wait = service.limiter.take(caller.id)
    if wait:
        raise TooManyRequestsException(
            f"rate limit of {service.settings.rate_limit} a minute reached; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )


class QueryTokenRedaction(logging.Filter):
    """Blanks `token=` values out of uvicorn's access log lines (path with query)."""

    PATTERN = re.compile(r"([?&]token=)[^&\s]*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self.PATTERN.sub(r"\1[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


QUERY_TOKEN_REDACTION = QueryTokenRedaction()
