"""The Litestar application: `/api/v1` routes over a `Service`."""

from __future__ import annotations

import asyncio

from litestar import Litestar, Router
from litestar.di import Provide

from judge_api.auth import provide_caller
from judge_api.errors import EXCEPTION_HANDLERS
from judge_api.openapi import StrictStructSchemaPlugin, openapi_config, options_handlers
from judge_api.routes import exercises, runs, status, submissions
from judge_api.service import Service
from judge_api.strict import strict_input


def create_app(service: Service) -> Litestar:
    """The API; starting it syncs exercises and, in embedded mode, starts judging threads."""

    def provide_service() -> Service:
        return service

    async def startup() -> None:
        service.hub.bind(asyncio.get_running_loop())
        await asyncio.to_thread(service.start_api)

    async def shutdown() -> None:
        await asyncio.to_thread(service.stop)

    handlers = [
        *submissions.handlers,
        *runs.handlers,
        *exercises.handlers,
        *status.handlers,
    ]
    api = Router(
        path="/api/v1",
        route_handlers=[*options_handlers(handlers), *handlers],
        before_request=strict_input,
    )
    return Litestar(
        route_handlers=[api],
        dependencies={
            "service": Provide(provide_service, sync_to_thread=False),
            "caller": Provide(provide_caller, sync_to_thread=True),
        },
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        request_max_body_size=service.settings.max_exercise_bytes,
        openapi_config=openapi_config(),
        plugins=[StrictStructSchemaPlugin()],
        on_startup=[startup],
        on_shutdown=[shutdown],
    )
