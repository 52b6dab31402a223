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


def is_event_stream(request: Request[Any, Any, Any]) -> bool:
    """Whether the route answers with server-sent events."""
    return request.route_handler.parsed_return_field.is_subclass_of(ServerSentEvent)


def _secret(request: Request[Any, Any, Any]) -> str:
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return secret.strip()
    if is_event_stream(request):
        in_query = request.query_params.get("token", "").strip()
        if in_query:
            return in_query
        how = "send 'Authorization: Bearer TOKEN' or add ?token=TOKEN"
    else:
        how = "send 'Authorization: Bearer TOKEN'"
    raise NotAuthorizedException(f"missing token: {how}", headers={"WWW-Authenticate": "Bearer"})


def provide_caller(request: Request[Any, Any, Any], service: ServiceDep) -> Caller:
    """The caller named by `Authorization: Bearer TOKEN` (or `?token=` on event streams), or 401."""
    caller = find_caller(service.db, _secret(request))
    if caller is None:
        raise NotAuthorizedException("unknown token", headers={"WWW-Authenticate": "Bearer"})
    return caller


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
