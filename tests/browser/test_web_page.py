"""The student's page in a real browser against a real `judge serve`.

Sign in, open an exercise, submit wrong then right in two languages, watch
the results arrive and the verdict, find the history; and all along, no
request leaves the service and the console stays free of errors.
"""

from __future__ import annotations

from pathlib import Path

from browser_support import JUDGED, PHONE, Site, open_page, settled, sign_in, submit
from playwright.sync_api import BrowserContext, expect
from service_support import SOURCES

# Passes test 01, spins on test 02 until its CPU limit: the first result has
# to be on screen for seconds before the verdict can exist.
STALLS_ON_SECOND_TEST = """a, b = map(int, input().split())
while a == 2:
    pass
print(a + b)
"""
# Every test row and the verdict, in the order the page adds them, with the
# batch of DOM changes (one per task) each came in.
RECORD_RESULTS = """() => {
  window.added = [];
  let batch = 0;
  new MutationObserver((records) => {
    batch += 1;
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const result = node.closest(".result");
      if (result && node.matches("tbody tr:not(.message)")) window.added.push(["test", batch]);
      for (const verdict of [node, ...node.querySelectorAll("*")]) {
        if (verdict.hasAttribute("data-verdict")) window.added.push(["verdict", batch]);
      }
    }
  }).observe(document.querySelector("main"), { childList: true, subtree: true });
}"""


def test_a_student_submits_in_two_languages_and_finds_the_history(
    site: Site, context: BrowserContext, tmp_path: Path
) -> None:
    watched = open_page(context, site.origin)
    page = watched.page
    sign_in(page, site.new_user("historian"))  # whose history has only this test's submissions
    page.get_by_role("link", name="Sum of two numbers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sum of two numbers")
    expect(page.locator(".wording")).to_contain_text("Print the sum of two numbers.")
    options = page.get_by_label("Language").locator("option")
    assert sorted(options.evaluate_all("os => os.map(o => o.value)")) == ["c", "python", "rust"]

    verdicts = []
    for language in ("python", "c"):
        for expected in ("WA", "AC"):
            verdicts.append(submit(page, language, SOURCES[language, expected]))
            results = page.locator(".result tbody tr:not(.message)")
            expect(results).to_have_count(2)  # one row per test of `sum`
            expect(results.first).to_contain_text("01")
            if expected == "WA":
                page.screenshot(path=tmp_path / f"wrong-{language}.png", full_page=True)
    assert verdicts == ["WA", "AC", "WA", "AC"]
    expect(page.locator("[data-verdict]")).to_contain_text("Accepted")

    history = page.get_by_role("region", name="Your submissions")
    expect(history.get_by_role("row")).to_have_count(1 + 4)
    expect(history.locator(".v-AC")).to_have_count(2)
    expect(history.locator(".v-WA")).to_have_count(2)
    page.screenshot(path=tmp_path / "desktop.png", full_page=True)

    # The history outlives the page: reopened, it still lists the four.
    page.reload()
    history.get_by_role("row").nth(4).wait_for()
    history.get_by_role("button", name="Show submission").last.click()
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "WA")

    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    page.screenshot(path=tmp_path / "phone.png", full_page=True)
    # Readable on a phone: wide tables scroll inside their box, the page does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    watched.assert_clean()


def test_each_result_shows_before_the_verdict(site: Site, context: BrowserContext) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/sum")
    page = watched.page
    sign_in(page, site.token)
    page.evaluate(RECORD_RESULTS)
    assert submit(page, "python", STALLS_ON_SECOND_TEST) == "TLE"
    added = page.evaluate("window.added")
    assert [kind for kind, _ in added] == ["test", "test", "verdict"], added
    first_test, verdict = added[0][1], added[-1][1]
    assert first_test < verdict, "the first test's row came with the verdict: not live"
    expect(page.locator(".result tbody tr").first).to_contain_text("AC")
    watched.assert_clean()


def test_a_compile_error_shows_the_compiler_output(site: Site, context: BrowserContext) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/sum")
    page = watched.page
    sign_in(page, site.token)
    assert submit(page, "c", "int main(void) { return missing; }\n") == "CE"
    output = page.locator("details", has_text="Compiler output")
    expect(output).to_contain_text("missing")
    expect(output.locator("pre")).to_be_visible()
    watched.assert_clean()


def test_a_file_task_says_which_files_to_use(site: Site, context: BrowserContext) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/sum-files")
    page = watched.page
    sign_in(page, site.token)
    expect(page.locator("[data-io]")).to_have_text(
        "Your program reads its input from the file input.txt"
        " and writes its answer to the file output.txt."
    )
    source = (
        "a, b = map(int, open('input.txt').read().split())\n"
        "open('output.txt', 'w').write(f'{a + b}\\n')\n"
    )
    assert submit(page, "python", source) == "AC"
    expect(page.locator("[data-io]")).to_have_count(1)
    watched.assert_clean()


def test_submitting_without_signing_in_asks_for_the_token(
    site: Site, context: BrowserContext
) -> None:
    watched = open_page(context, f"{site.origin}/#/exercises/sum")
    page = watched.page
    page.get_by_label("Source").fill(SOURCES["python", "AC"])
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").filter(has_text="Sign in first")).to_be_visible()
    expect(page.get_by_label("Token")).to_be_focused()
    watched.assert_clean()


def test_a_wrong_token_is_refused_with_a_message(site: Site, context: BrowserContext) -> None:
    page = open_page(context, f"{site.origin}/#/exercises/sum").page
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").filter(has_text="Unknown token")).to_be_visible()
    settled(page)
    page.get_by_label("Source").fill(SOURCES["python", "AC"])
    page.get_by_role("button", name="Submit").click()  # the refused token was forgotten
    expect(page.get_by_role("alert").filter(has_text="Sign in first")).to_be_visible()
    expect(page.locator("[data-verdict]")).to_have_count(0)


def test_the_page_works_from_the_keyboard(site: Site, context: BrowserContext) -> None:
    watched = open_page(context, site.origin)
    page = watched.page
    page.get_by_role("heading", name="Exercises").wait_for()

    def tab_to(name: str) -> None:
        """Tab until the element with this id (or else this text) has the focus."""
        for _ in range(20):
            page.keyboard.press("Tab")
            focused = page.evaluate("(e => e.id || e.textContent)(document.activeElement)")
            if focused == name:
                return
        raise AssertionError(f"Tab never reached {name!r}")

    tab_to("token")
    page.keyboard.type(site.token)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Sign out").wait_for()
    settled(page)
    tab_to("Sum of two numbers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    tab_to("language")
    tab_to("source")
    page.keyboard.type(SOURCES["python", "AC"])
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-verdict]")).to_have_attribute("data-verdict", "AC", timeout=JUDGED)
    watched.assert_clean()
