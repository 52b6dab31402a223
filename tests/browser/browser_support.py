"""Helpers of the browser tests: Debian's Chromium under Playwright, watched for leaks and errors.

Playwright's own browser download is not reachable here, so the tests drive
`/usr/bin/chromium` (Debian's package, installed by .ci/install) through
`executable_path`, headless, without the browser's own background traffic
(updates, sync, safe browsing), so that every request seen is one the page
made. One browser serves a test module; each test gets fresh contexts (no
cookie, no storage: as good as a new profile), one per "person" or device.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    expect,
    sync_playwright,
)
from service_support import JUDGE, SUM_TOML, Deployment, write_exercise

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


# A check's message (Markdown) that tries the same, around some real Markdown.
HOSTILE_MESSAGE = """# Not quite

<script>window.pwned = "script"; alert("script")</script>

<img src="x" onerror="window.pwned = 'onerror'; alert('onerror')">

[click me](javascript:window.pwned='link') <a href="javascript:window.pwned='a'">or me</a>

![tracker](https://tracker.example/pixel.png)

Your function returned **4** for:

```python
add(2, 2)
```
"""
SCRIPT_TOML = 'title = "{title}"\nlanguages = ["python"]\n[checker]\nkind = "script"\n'
# Passes, saying in Markdown which language the check was given.
SAYS_LANGUAGE = "import os\nprint(f\"Checked in `{os.environ['LANGUAGE']}`.\")\n"


def _script_exercise(root: Path, slug: str, title: str, check: str, **wordings: str) -> None:
    """A check-script exercise; `wordings` by file name (`wording_fr` is wording.fr.md)."""
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text(SCRIPT_TOML.format(title=title))
    (folder / "check.py").write_text(check)
    for name, text in wordings.items():
        (folder / f"{name.replace('_', '.')}.md").write_text(text)


def _exercises(root: Path) -> Path:
    write_exercise(root, "sum", SUM_TOML)
    files = 'title = "Sum in files"\nlanguages = ["python"]\n[io]\ninput = "input.txt"\n'
    write_exercise(root, "sum-files", files + 'output = "output.txt"\n')
    hostile = write_exercise(root, "hostile", 'title = "Hostile wording"\nlanguages = ["python"]\n')
    (hostile / "wording.md").write_text(HOSTILE_WORDING)
    fails = f"print({HOSTILE_MESSAGE!r})\nraise SystemExit(1)\n"
    _script_exercise(root, "hostile-check", "Hostile check", fails, wording="Write `add`.\n")
    _script_exercise(
        root, "polyglot", "Polyglot", SAYS_LANGUAGE,
        wording="Write anything.\n", wording_fr="Écrivez ce que vous voulez.\n",
    )  # fmt: skip
    return root


def start_site(directory: Path, **env: str) -> Deployment:
    """`judge serve` on its own data folder and exercises; `env` adds settings."""
    environment = {
        **os.environ,
        "JUDGE_DATA_DIR": str(directory / "data"),
        "JUDGE_EXERCISES_DIR": str(_exercises(directory / "exercises")),
        "JUDGE_RATE_LIMIT": "10000",
        "JUDGE_WORKERS": "2",
        "JUDGE_ACCESS_LOG": "1",  # what the tests check of the log: no token in it
        **env,
    }
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL", "JUDGE_CORS_ORIGINS"):
        if name not in env:
            environment.pop(name, None)
    deployment = Deployment(environment, directory)
    try:
        deployment.serve()
    except BaseException:
        deployment.stop()
        raise
    return deployment


@dataclass
class Site:
    """A running `judge serve` as a browser sees it."""

    deployment: Deployment

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.deployment.port}"

    @cached_property
    def token(self) -> str:
        """A token of the user the tests share."""
        return self.new_user("student")

    def new_user(self, name: str, role: str = "user") -> str:
        """A token of user `name`, made by `judge tokens create`."""
        output = subprocess.run(
            [str(JUDGE), "tokens", "create", name, "--role", role],
            env=self.deployment.env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return output.strip().splitlines()[-1]

    def api(self, method: str, path: str, token: str | None, **options: Any) -> httpx.Response:
        """A call to the API under /api/v1 with `token` (if any), as another client makes it."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(options.pop("headers", {}))
        return httpx.request(
            method, f"{self.origin}/api/v1{path}", headers=headers, timeout=120, **options
        )


class Elements(HTMLParser):
    """The elements of an HTML fragment, as (tag, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@dataclass
class Watched:
    """What a page did: every request's URL, console error or page crash, and dialog."""

    page: Page
    origin: str  # scheme://host:port of the page opened
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alert() and the like, dismissed

    def outside(self) -> list[str]:
        """The requests that went anywhere but the page's origin."""
        return [url for url in self.requests if _origin(url) != self.origin]

    def assert_clean(self) -> None:
        """No request left the service, the console had no error, no dialog opened."""
        assert self.outside() == []
        assert self.errors == []
        assert self.dialogs == []


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _watch(page: Page, url: str) -> Watched:
    watched = Watched(page, _origin(url))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.errors.append(f"console: {message.text} at {message.location}")

    def on_request(request: Request) -> None:
        watched.requests.append(request.url)

    def on_dialog(dialog: Dialog) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
    page.on("request", on_request)
    return watched


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium; fails loudly when missing."""
    assert CHROMIUM.exists(), "Debian's chromium is missing: run .ci/install"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Browser, locale: str = "en-US") -> BrowserContext:
    """A fresh browser context (no cookie, no storage), whose languages are `locale`'s."""
    return browser.new_context(viewport=DESKTOP, locale=locale)  # type: ignore[arg-type]


def open_page(context: BrowserContext, url: str, viewport: dict[str, int] = DESKTOP) -> Watched:
    """A new tab at `url`, watched from its first request."""
    page = context.new_page()
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    watched = _watch(page, url)
    page.goto(url)
    return watched


JUDGED = 120_000  # ms a verdict may take: compiling and judging on a shared, noisy machine


def settled(page: Page) -> None:
    """Wait until the view shown is built (the page marks `<main>` busy meanwhile)."""
    page.locator("main:not([aria-busy])").wait_for()


def sign_in(page: Page, token: str) -> None:
    """Sign in, and wait for the view built again for the token (its form, its history)."""
    page.get_by_label("Token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    settled(page)


def submit(page: Page, language: str, source: str) -> str:
    """Submit from the exercise page shown; the verdict code once it appears."""
    settled(page)  # the result shown, if any, is this view's, not one being replaced
    title = page.locator("#result-title")
    last = title.text_content() if title.count() else None
    page.get_by_label("Language").select_option(language)
    page.get_by_label("Source").fill(source)
    page.get_by_role("button", name="Submit").click()
    # The panel of the new submission replaces the last one, verdict included.
    if last is None:
        title.wait_for(timeout=JUDGED)
    else:
        expect(title).not_to_have_text(last, timeout=JUDGED)
    verdict = page.locator("[data-verdict]")
    verdict.wait_for(timeout=JUDGED)
    code = verdict.get_attribute("data-verdict")
    assert code is not None
    return code
