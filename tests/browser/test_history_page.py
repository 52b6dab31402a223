"""An exercise's page lists the user's submissions from the service (GET /submissions).

Not from this browser's memory: another browser of the same user sees them,
a reload keeps them, and a long history comes a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from browser_support import Site, open_page, sign_in, submit
from playwright.sync_api import BrowserContext, expect
from service_support import SOURCES

SYNTAX_ERROR = "print(\n"
PAGE = 20  # the page lists this many at once (exercise.js HISTORY_PAGE)


def test_another_browser_of_the_same_user_pages_through_the_history(
    site: Site, contexts: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    token = site.new_user("chronicler")
    laptop = open_page(contexts(), f"{site.origin}/#/exercises/sum")
    sign_in(laptop.page, token)
    assert submit(laptop.page, "python", SOURCES["python", "WA"]) == "WA"  # the oldest
    assert submit(laptop.page, "c", SOURCES["c", "AC"]) == "AC"
    body = {"exercise": "sum", "language": "python", "source": SYNTAX_ERROR}
    for _ in range(PAGE):  # from yet another client
        made = site.api("POST", "/submissions?wait=true", token, json=body)
        assert made.status_code == 202 and made.json()["verdict"] == "CE", made.text

    phone = open_page(contexts(), f"{site.origin}/#/exercises/sum")
    page = phone.page
    sign_in(page, token)
    history = page.get_by_role("region", name="Your submissions")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(PAGE)
    expect(rows.locator(".v-CE")).to_have_count(PAGE)  # the newest first
    page.reload()  # nothing of it lived in the page
    expect(rows).to_have_count(PAGE)

    older = history.get_by_role("button", name="Show older submissions")
    older.click()
    expect(rows).to_have_count(PAGE + 2)
    expect(older).to_be_hidden()  # no more
    expect(rows.nth(PAGE).locator(".v-AC")).to_be_visible()
    expect(rows.nth(PAGE).get_by_role("cell", name="C (GCC)")).to_be_visible()
    expect(rows.nth(PAGE + 1).locator(".v-WA")).to_be_visible()
    page.screenshot(path=tmp_path / "history.png", full_page=True)

    rows.nth(PAGE + 1).get_by_role("button").click()  # the laptop's first, with its results
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "WA")
    expect(page.locator(".result tbody tr:not(.message)")).to_have_count(2)
    laptop.assert_clean()
    phone.assert_clean()
