"""A checker's message is Markdown for the student, and cannot run script in the page either.

Check scripts print "a Markdown message for the student" (the contract), and
custom checkers write theirs: the page shows them as Markdown, rendered and
sanitized by the server as wordings are (POST /web/messages). The built-in
checkers' messages quote the program's output and stay plain text.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from browser_support import (
    HOSTILE_MESSAGE,
    Elements,
    Site,
    open_page,
    settled,
    sign_in,
    submit,
)
from playwright.sync_api import BrowserContext, expect
from service_support import SOURCES

from judge_api.web.markdown import render_message


def test_a_hostile_message_renders_as_harmless_markdown() -> None:
    html = render_message(HOSTILE_MESSAGE)
    elements = Elements(html).found
    assert {tag for tag, _ in elements} == {"h4", "p", "img", "strong", "pre", "code"}
    assert all(not name.startswith("on") for _, attrs in elements for name in attrs)
    assert [attrs for tag, attrs in elements if tag == "img"] == [{"alt": "tracker"}]
    assert "&lt;script&gt;" in html  # shown to the student, not run
    assert "<h4>Not quite</h4>" in html  # under the results' headings


def messages(site: Site, token: str | None, body: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{site.origin}/web/messages", json=body, headers=headers)


def test_the_page_route_renders_messages_for_signed_in_callers(site: Site) -> None:
    texts = [HOSTILE_MESSAGE, "Expected `5`.", ""]
    rendered = messages(site, site.token, {"messages": texts})
    assert rendered.status_code == 200, rendered.text
    assert rendered.json() == {"html": [render_message(text) for text in texts]}
    assert messages(site, None, {"messages": texts}).status_code == 401
    assert messages(site, site.token, {"messages": ["x" * 200_000]}).status_code == 400
    assert messages(site, site.token, {"texts": texts}).status_code == 400


def test_a_hostile_check_message_runs_nothing_in_the_browser(
    site: Site, context: BrowserContext, tmp_path: Path
) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/hostile-check")
    page = watched.page
    sign_in(page, site.token)
    assert submit(page, "python", "def add(a, b):\n    return a * b\n") == "WA"
    message = page.locator(".result .message .markdown")
    expect(message.get_by_role("heading", level=4)).to_have_text("Not quite")
    expect(message.locator("strong")).to_have_text("4")
    expect(message.locator("pre code")).to_have_text("add(2, 2)\n")
    expect(message).to_contain_text('<script>window.pwned = "script"')  # as text
    expect(message.get_by_role("link")).to_have_count(0)  # javascript: links are text
    page.screenshot(path=tmp_path / "message.png", full_page=True)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None
    assert watched.dialogs == []
    assert message.locator("script, iframe, [onerror], img[src]").count() == 0

    # A built-in checker's words quote the output as it is: plain text.
    page.goto(f"{site.origin}/#/exercises/sum")
    # A new hash, same document: the earlier exercise's view lingers until the new one is built.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sum of two numbers")
    settled(page)
    assert submit(page, "python", SOURCES["python", "WA"]) == "WA"
    plain = page.locator(".result .message pre").first
    expect(plain).to_contain_text("Wrong answer on line 1")
    expect(page.locator(".result .markdown")).to_have_count(0)
    watched.assert_clean()
