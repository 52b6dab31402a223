"""Fixtures of the browser tests: a real `judge serve` and Debian's Chromium.

The service runs as users run it (its own data folder, SQLite, the embedded
queue, real sandboxes) on a free loopback port; each test gets a browser with
a fresh profile, so no token or draft leaks from one test to the next.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Site, browser
from playwright.sync_api import BrowserContext
from service_support import SUM_TOML, Deployment, write_exercise

# A wording that tries every way in: script, event handlers, a javascript:
# link, raw HTML and a remote image (a tracker). None of it may run or load.
HOSTILE_WORDING = """# Hostile

<script>window.pwned = "script"; alert("script")</script>

<img src="x" onerror="window.pwned = 'onerror'; alert('onerror')">

<a href="javascript:window.pwned='link'">click me</a> [or me](javascript:alert(1))

![tracker](https://tracker.example/pixel.png)

<iframe src="https://tracker.example/"></iframe>

Only this sentence is the wording.
"""


def _exercises(root: Path) -> Path:
    write_exercise(root, "sum", SUM_TOML)
    hostile = write_exercise(root, "hostile", 'title = "Hostile wording"\nlanguages = ["python"]\n')
    (hostile / "wording.md").write_text(HOSTILE_WORDING)
    return root


def start_site(directory: Path, **env: str) -> Deployment:
    """`judge serve` on its own data folder and exercises; `env` adds settings."""
    environment = {
        **os.environ,
        "JUDGE_DATA_DIR": str(directory / "data"),
        "JUDGE_EXERCISES_DIR": str(_exercises(directory / "exercises")),
        "JUDGE_RATE_LIMIT": "10000",
        "JUDGE_WORKERS": "2",
        **env,
    }
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL", "JUDGE_CORS_ORIGINS"):
        if name not in env:
            environment.pop(name, None)
    deployment = Deployment(environment, directory)
    deployment.serve()
    return deployment


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
