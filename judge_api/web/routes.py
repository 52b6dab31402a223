"""Route handlers of the page: the HTML, its static files, wordings and messages as safe HTML.

None of them is part of the API (`/api/v1`): they are left out of the
OpenAPI schema, and the page itself talks to the API like any client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from litestar import MediaType, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, JSONBody
from litestar.response import File

from judge_api.auth import CallerDep, ServiceDep
from judge_api.routes.exercises import (
    VARY,
    AcceptLanguage,
    LanguageQuery,
    in_language,
    wanted_languages,
)
from judge_api.web.markdown import render, render_message
from runners.store.models import ExerciseRow

STATIC = Path(__file__).resolve().parent / "static"
PAGE = (STATIC / "index.html").read_bytes()
# Set here rather than guessed from the system's MIME tables: browsers refuse a
# module script or a style sheet served under any other type.
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
# The page's files (its HTML is served at `/`) and Swagger UI's, by path under static/.
ASSETS = {
    path.relative_to(STATIC).as_posix(): path
    for path in STATIC.rglob("*")
    if path.suffix in MEDIA_TYPES
}

# The page's scripts and styles are files of its own origin: no inline script,
# no inline style, nothing from elsewhere. A wording that slipped past the
# sanitizer still could not run script.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])  # fmt: skip
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class WordingOut(msgspec.Struct):
    slug: str
    html: str  # the wording's Markdown, rendered and sanitized
    language: str  # the wording's: the one asked for if the exercise has it


# A check script's message is at most 65,536 characters (HackInScience's cut);
# a judge's own words may follow it.
Message = Annotated[str, msgspec.Meta(max_length=2 * 65_536)]


class MessagesIn(msgspec.Struct, forbid_unknown_fields=True):
    messages: Annotated[list[Message], msgspec.Meta(max_length=1000)]  # Markdown


class MessagesOut(msgspec.Struct):
    html: list[str]  # each message rendered and sanitized, in order


@get("/", include_in_schema=False, sync_to_thread=False)
def page() -> Response[bytes]:
    """The page: a single HTML document; the script routes between its views."""
    return Response(PAGE, media_type=MediaType.HTML, headers=PAGE_HEADERS)


@get("/static/{name:path}", include_in_schema=False, sync_to_thread=False)
def asset(name: FromPath[str]) -> File:
    """One of the page's files, or of Swagger UI's; only those listed, nothing else."""
    path = ASSETS.get(name.lstrip("/"))
    if path is None:
        raise NotFoundException(f"no file {name!r}")
    return File(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        content_disposition_type="inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
    )


@get(
    "/web/exercises/{slug:str}/wording",
    include_in_schema=False,
    sync_to_thread=True,
    response_headers=VARY,
)
def wording(
    slug: FromPath[str],
    service: ServiceDep,
    lang: LanguageQuery = None,
    accept_language: AcceptLanguage = None,
) -> WordingOut:
    """An exercise's wording as sanitized HTML, in the language GET /exercises/{slug} would pick."""
    if "\x00" in slug:  # PostgreSQL refuses NUL in text: no exercise has one
        raise NotFoundException("unknown exercise")
    with service.db.session() as session:
        row = session.get(ExerciseRow, slug)
        if row is None:
            raise NotFoundException(f"unknown exercise {slug!r}")
        public = row.public
    shown = in_language(service, public, wanted_languages(lang, accept_language))
    return WordingOut(slug, render(shown.wording, shown.title), shown.language)


@post("/web/messages", include_in_schema=False, status_code=200, sync_to_thread=True)
def messages(data: JSONBody[MessagesIn], caller: CallerDep) -> MessagesOut:
    """Checkers' messages (Markdown) as sanitized HTML, for the signed-in page.

    The page sends the messages it received, so that a test's message shows
    as soon as its event arrives, whatever the database holds yet; a token is
    required only so that this is no renderer open to anyone.
    """
    return MessagesOut([render_message(text) for text in data.messages])


handlers = [page, asset, wording, messages]
