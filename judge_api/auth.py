"""Bearer-token authentication, roles and the per-token rate limit."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotAuthorizedException,
    PermissionDeniedException,
    TooManyRequestsException,
)

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


def provide_caller(request: Request[Any, Any, Any], service: ServiceDep) -> Caller:
    """The caller named by `Authorization: Bearer TOKEN`, or 401."""
    secret = _bearer(request)
    if secret is None:
        raise NotAuthorizedException(
            "missing token: send 'Authorization: Bearer TOKEN'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return _holder(service, secret)


def provide_viewer(request: Request[Any, Any, Any], service: ServiceDep) -> Caller | None:
    """For reads open to all: the caller when a token comes, else None; 401 for a bad token.

    The token may also come as `?token=` (browsers' EventSource sends no headers).
    """
    secret = _bearer(request) or request.query_params.get("token")
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
