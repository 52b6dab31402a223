"""An exercise's wording cannot run script in the page, nor load anything from outside.

Any author may upload a wording and every student reads it: the wording is
rendered from Markdown with raw HTML off, sanitized, and the page forbids
inline script by its Content-Security-Policy. Each layer is checked alone,
then all of them in a real browser.
"""

from __future__ import annotations

import httpx
from browser_support import HOSTILE_WORDING, Elements, Site, open_page
from playwright.sync_api import BrowserContext, expect

from judge_api.web.markdown import render


def test_raw_html_in_markdown_comes_out_as_text() -> None:
    html = render(HOSTILE_WORDING, "Hostile")
    elements = Elements(html).found
    assert {tag for tag, _ in elements} == {"p", "img"}  # the image, as its alt text
    assert all(not name.startswith("on") for _, attrs in elements for name in attrs)
    assert [attrs for tag, attrs in elements if tag == "img"] == [{"alt": "tracker"}]
    assert "&lt;script&gt;" in html  # shown to the reader, not run


def test_links_keep_safe_schemes_only() -> None:
    markdown = "[a](https://example.org) [b](mailto:x@example.org) [c](vbscript:x) [d](data:x)"
    links = [attrs for tag, attrs in Elements(render(markdown, "T")).found if tag == "a"]
    assert [link.get("href") for link in links] == ["https://example.org", "mailto:x@example.org"]
    assert {link["rel"] for link in links} == {"noopener noreferrer nofollow"}


def test_only_inline_images_are_kept() -> None:
    inline = "data:image/png;base64,iVBORw0KGgo="
    html = render(f"![dot]({inline}) ![far](https://example.org/x.png) ![near](x.png)", "T")
    images = [attrs for tag, attrs in Elements(html).found if tag == "img"]
    assert [image.get("src") for image in images] == [inline, None, None]
    assert [image["alt"] for image in images] == ["dot", "far", "near"]


def test_headings_sit_under_the_page_title() -> None:
    html = render("# Sum\n\nText\n\n## Input\n\n# Other", "Sum")
    assert "Sum</h" not in html  # the repeated title is dropped
    assert "<h3>Input</h3>" in html and "<h2>Other</h2>" in html


def test_the_page_forbids_inline_and_foreign_script(site: Site) -> None:
    policy = httpx.get(f"{site.origin}/").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "'unsafe-inline'" not in policy


def test_a_hostile_wording_runs_nothing_in_the_browser(site: Site, context: BrowserContext) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/hostile")
    page = watched.page
    wording = page.locator(".wording")
    expect(wording).to_contain_text("Only this sentence is the wording.")
    expect(wording).to_contain_text('<script>window.pwned = "script"')  # as text
    expect(wording.get_by_role("link")).to_have_count(0)  # javascript: links are text
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None
    assert watched.dialogs == []
    assert wording.locator("script, iframe, [onerror]").count() == 0
    watched.assert_clean()


def test_the_policy_stops_a_handler_that_slipped_past_the_sanitizer(
    site: Site, context: BrowserContext
) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/hostile")
    page = watched.page
    expect(page.locator(".wording")).to_contain_text("Only this sentence")
    page.evaluate(
        """() => { document.querySelector(".wording").innerHTML =
             '<img src="data:," onerror="window.pwned = 1"><script>window.pwned = 2</script>'; }"""
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None
    assert any("Content Security Policy" in error for error in watched.errors), watched.errors
