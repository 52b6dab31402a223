"""The Litestar application: `/api/v1` routes over a `Service`, and the web page at `/`."""

from __future__ import annotations

import asyncio
import logging

from litestar import Litestar, Router
from litestar.di import Provide

from judge_api import judge0, web
from judge_api.auth import QUERY_TOKEN_REDACTION, provide_caller, provide_viewer
from judge_api.errors import EXCEPTION_HANDLERS
from judge_api.openapi import StrictStructSchemaPlugin, openapi_config, options_handlers
from judge_api.routes import contests, exercises, history, runs, status, submissions, users
from judge_api.service import Service
from judge_api.strict import strict_input


def create_app(service: Service) -> Litestar:
    """The API; starting it syncs exercises and, in embedded mode, starts judging threads."""

    def provide_service() -> Service:
        return service

    async def startup() -> None:
        logging.getLogger("uvicorn.access").addFilter(QUERY_TOKEN_REDACTION)
        service.hub.bind(asyncio.get_running_loop())
        service.run_hub.bind(asyncio.get_running_loop())
        service.scoreboards.bind(asyncio.get_running_loop())
        service.streams.bind(asyncio.get_running_loop())
        await asyncio.to_thread(service.start_api)

    async def shutdown() -> None:
        await asyncio.to_thread(service.stop)

    handlers = [
        *submissions.handlers,
        *runs.handlers,
        *exercises.handlers,
        *status.handlers,
        *history.handlers,
        *contests.handlers,
        *users.handlers,
    ]
    api = Router(
        path="/api/v1",
        route_handlers=[*options_handlers(handlers), *handlers],
        before_request=strict_input,
    )
    return Litestar(
        route_handlers=[api, judge0.router(), *web.handlers],
        dependencies={
            "service": Provide(provide_service, sync_to_thread=False),
            "caller": Provide(provide_caller, sync_to_thread=True),
            "viewer": Provide(provide_viewer, sync_to_thread=True),
        },
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        request_max_body_size=service.settings.max_exercise_bytes,
        openapi_config=openapi_config(render_plugins=web.docs_ui()),
        plugins=[StrictStructSchemaPlugin()],
        cors_config=web.cors(service.settings.cors_origins),
        on_startup=[startup],
        on_shutdown=[shutdown],
    )
