"""Fixtures of the browser tests: a real `judge serve` and Debian's Chromium.

The service runs as users run it (its own data folder, SQLite, the embedded
queue, real sandboxes) on a free loopback port; each test gets a browser with
a fresh profile, so no token or draft leaks from one test to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Site, browser, start_site
from playwright.sync_api import BrowserContext


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One `judge serve` for the browser tests, with a user's token."""
    deployment = start_site(tmp_path_factory.mktemp("site"))
    try:
        yield Site(deployment)
    finally:
        deployment.stop()


@pytest.fixture
def context(tmp_path: Path) -> Iterator[BrowserContext]:
    with browser(tmp_path / "profile") as context:
        yield context
