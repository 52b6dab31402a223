"""Contests in a real browser: listed, joined, submitted to, the board live, the freeze.

The board follows GET /contests/{slug}/scoreboard/events (read with fetch,
the token in a header): it must change in the open page, without a reload,
as the student's own submissions are judged in another tab; during the
freeze a student sees their later attempts as pending, not their results.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from browser_support import JUDGED, PHONE, Site, open_page, sign_in, submit
from playwright.sync_api import BrowserContext, Page, expect
from service_support import SOURCES

# Every render of the board, as the cell of `user` for the first problem
# (null while `user` has no row): what the page showed, in order.
RECORD_BOARD = """(user) => {
  window.boards = [];
  const board = document.querySelector(".scoreboard");
  const record = () => {
    const row = [...board.querySelectorAll("tbody tr")]
      .find((tr) => tr.querySelector("th").textContent === user);
    window.boards.push(row ? row.querySelectorAll("td")[3].textContent : null);
  };
  record();
  new MutationObserver(record).observe(board, { childList: true });
}"""


def create_contest(site: Site, slug: str, title: str, freeze: int = 0) -> str:
    """A running icpc contest on `sum` and `polyglot`, started 5 minutes ago, an hour long."""
    admin = site.new_user("contest-admin", role="admin")
    start = datetime.now(UTC) - timedelta(minutes=5)
    body = {
        "slug": slug, "title": title, "exercises": ["sum", "polyglot"], "format": "icpc",
        "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(),
        "freeze": freeze, "penalty": 20,
    }  # fmt: skip
    created = site.api("POST", "/contests", admin, json=body)
    assert created.status_code == 201, created.text
    return admin


def compete(site: Site, name: str, contest: str, exercise: str, verdict: str) -> None:
    """`name` joins `contest` and submits to `exercise` over the API, judged `verdict`."""
    token = site.new_user(name)
    assert site.api("POST", f"/contests/{contest}/join", token).status_code == 204
    body = {"exercise": exercise, "language": "python", "contest": contest,
            "source": SOURCES["python", "AC" if verdict == "AC" else "WA"]}  # fmt: skip
    judged = site.api("POST", "/submissions?wait=true", token, json=body)
    assert judged.status_code == 202 and judged.json()["verdict"] == verdict, judged.text


def stage(cell: str | None) -> int:
    """0 not on the board, 1 joined, 2 attempted (rejected or pending), 3 solved."""
    if cell is None:
        return 0
    if cell.startswith("+"):
        return 3
    return 2 if cell else 1


def board_rows(page: Page) -> list[str]:
    users: list[str] = page.locator(".scoreboard tbody th").all_text_contents()
    return users


def test_the_board_follows_a_students_submissions_live(
    site: Site, context: BrowserContext, tmp_path: Path
) -> None:
    create_contest(site, "cup", "The cup")
    compete(site, "bob", "cup", "sum", "AC")
    compete(site, "bob", "cup", "polyglot", "AC")
    compete(site, "carol", "cup", "sum", "WA")

    watched = open_page(context, site.origin)
    page = watched.page
    sign_in(page, site.new_user("ada"))
    expect(page.get_by_role("link", name="The cup")).to_be_visible()  # on the home page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contests")
    page.get_by_role("link", name="The cup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The cup")
    expect(page.locator(".meta")).to_contain_text("ICPC")
    expect(page.locator(".meta")).to_contain_text("running")
    expect(page.get_by_role("link", name="Sum of two numbers")).to_be_visible()
    board = page.locator(".scoreboard")
    expect(board.locator("tbody tr")).to_have_count(2)  # bob and carol
    page.evaluate(RECORD_BOARD, "ada")

    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are registered: good luck!")).to_be_visible()
    expect(board.locator("tbody tr")).to_have_count(3)

    # In another tab, ada solves `sum` at the second attempt.
    other = open_page(context, f"{site.origin}/#/contests/cup/exercises/sum")
    other.page.get_by_role("heading", name="Sum of two numbers").wait_for()
    assert submit(other.page, "python", SOURCES["python", "WA"]) == "WA"
    assert submit(other.page, "python", SOURCES["python", "AC"]) == "AC"

    mine = board.locator("tr.me")
    expect(mine.locator("td").nth(3)).to_contain_text("+1", timeout=JUDGED)
    expect(mine.locator("td").nth(1)).to_have_text("1")  # solved
    assert board_rows(page) == ["bob", "ada", "carol"]  # bob solved two, ada has a penalty
    stages = [stage(cell) for cell in page.evaluate("window.boards")]
    assert stages == sorted(stages), stages  # never back: the board only moved forward
    assert stages[0] == 0 and 1 in stages and stages[-1] == 3, stages
    page.screenshot(path=tmp_path / "contest.png", full_page=True)
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.screenshot(path=tmp_path / "phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    watched.assert_clean()
    other.assert_clean()


def anonymous_cell(site: Site, contest: str, user: str) -> Any:
    board = site.api("GET", f"/contests/{contest}/scoreboard", None).json()
    return next(row for row in board["rows"] if row["user"] == user)["problems"]["sum"]


def test_a_frozen_board_hides_later_results_from_students(
    site: Site, context: BrowserContext, tmp_path: Path
) -> None:
    admin = create_contest(site, "frozen-cup", "Frozen cup", freeze=60)  # frozen from the start
    watched = open_page(context, f"{site.origin}/#/contests")
    page = watched.page
    sign_in(page, site.new_user("grace"))
    page.get_by_role("link", name="Frozen cup").click()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are registered: good luck!")).to_be_visible()
    page.get_by_role("link", name="Sum of two numbers").click()
    assert submit(page, "python", SOURCES["python", "AC"]) == "AC"  # her own result, shown to her

    page.get_by_role("link", name="Contest frozen-cup").click()
    board = page.locator(".scoreboard")
    expect(board).to_contain_text("Frozen: later results are hidden until the end.")
    mine = board.locator("tr.me")
    expect(mine.locator("td").nth(3)).to_have_text("?1")  # an attempt, its result hidden
    expect(mine.locator("td").nth(1)).to_have_text("0")
    page.screenshot(path=tmp_path / "frozen.png", full_page=True)
    watched.assert_clean()

    assert anonymous_cell(site, "frozen-cup", "grace")["pending"] == 1
    whole = site.api("GET", "/contests/frozen-cup/scoreboard", admin).json()
    (grace,) = [row for row in whole["rows"] if row["user"] == "grace"]
    assert grace["problems"]["sum"]["solved"] is True  # admins see everything
