"""Helpers of the browser tests: Debian's Chromium under Playwright, watched for leaks and errors.

Playwright's own browser download is not reachable here, so the tests drive
`/usr/bin/chromium` (Debian's package, installed by .ci/install) through
`executable_path`, headless, with a fresh profile and without the browser's
own background traffic (updates, sync, safe browsing), so that every request
seen is one the page made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",  # tests run as root, where Chromium's own sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Watched:
    """What a page did: every request's URL and every console error or page crash."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self, origin: str) -> list[str]:
        """The requests that went anywhere but `origin` (scheme://host:port)."""
        ours = urlsplit(origin)
        return [
            url
            for url in self.requests
            if (urlsplit(url).scheme, urlsplit(url).netloc) != (ours.scheme, ours.netloc)
        ]


def _watch(page: Page) -> Watched:
    watched = Watched(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(f"console: {message.text} at {message.location}")

    def on_request(request: Request) -> None:
        watched.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
    page.on("request", on_request)
    return watched


@contextmanager
def browser(profile: Path) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile in `profile`; fails loudly when missing."""
    assert CHROMIUM.exists(), "Debian's chromium is missing: run .ci/install"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport=DESKTOP,  # type: ignore[arg-type]
        )
        try:
            yield context
        finally:
            context.close()


def open_page(context: BrowserContext, url: str, viewport: dict[str, int] = DESKTOP) -> Watched:
    """A new tab at `url`, watched from its first request."""
    page = context.new_page()
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    watched = _watch(page)
    page.goto(url)
    return watched
