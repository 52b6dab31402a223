"""Fixtures of the browser tests: a real `judge serve` and Debian's Chromium.

The service runs as users run it (its own data folder, SQLite, the embedded
queue, real sandboxes) on a free loopback port; one Chromium serves a
module, and each test gets fresh contexts, so no token or draft leaks from
one test to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from browser_support import Site, chromium, new_context, start_site
from playwright.sync_api import Browser, BrowserContext


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One `judge serve` for the browser tests, with a user's token."""
    deployment = start_site(tmp_path_factory.mktemp("site"))
    try:
        yield Site(deployment)
    finally:
        deployment.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's sync API runs an event loop in
    this thread while it lives, which the other suites' asyncio.run() refuses."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make fresh browser contexts (`locale="fr-FR"` for a French browser); closed after."""
    made: list[BrowserContext] = []

    def make(locale: str = "en-US") -> BrowserContext:
        made.append(new_context(browser, locale))
        return made[-1]

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(contexts: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh browser context: no token, no draft from another test."""
    return contexts()
