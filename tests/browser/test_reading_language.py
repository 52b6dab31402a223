"""The exercise page in its reader's language.

It offers the wording's translations, starts in the browser's language (its
Accept-Language), remembers the reader's choice, and submits with it: a
check script sees it as LANGUAGE (the `polyglot` check prints it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from browser_support import Site, open_page, sign_in, submit
from playwright.sync_api import BrowserContext, expect

ANYTHING = "print(1)\n"


def test_a_french_browser_reads_and_is_checked_in_french_until_it_chooses_english(
    site: Site, contexts: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    watched = open_page(contexts(locale="fr-FR"), f"{site.origin}/#/exercises/polyglot")
    page = watched.page
    wording, reading = page.locator(".wording"), page.get_by_label("Read in")
    expect(wording).to_contain_text("Écrivez ce que vous voulez.")
    expect(wording).to_have_attribute("lang", "fr")
    expect(reading).to_have_value("fr")
    options = reading.locator("option")
    assert options.evaluate_all("os => os.map(o => o.value)") == ["en", "fr"]
    expect(options).to_have_text(["English", "Français"])  # each in its own language
    sign_in(page, site.new_user("camille"))
    assert submit(page, "python", ANYTHING) == "AC"
    expect(page.locator(".result .markdown code")).to_have_text("fr")  # the check's LANGUAGE
    page.screenshot(path=tmp_path / "french.png", full_page=True)

    reading.select_option("en")
    expect(wording).to_contain_text("Write anything.")
    page.reload()  # the choice outlives the page
    expect(wording).to_contain_text("Write anything.")
    expect(reading).to_have_value("en")
    assert submit(page, "python", ANYTHING) == "AC"
    expect(page.locator(".result .markdown code")).to_have_text("en")

    page.goto(f"{site.origin}/#/exercises/sum")  # no translation: nothing to choose
    expect(page.get_by_role("heading", level=1)).to_have_text("Sum of two numbers")
    expect(page.get_by_label("Read in")).to_have_count(0)
    watched.assert_clean()


def test_other_browsers_read_their_language_or_english(
    site: Site, contexts: Callable[..., BrowserContext]
) -> None:
    for locale, language, text in [("en-GB", "en", "Write anything."),
                                   ("fr-CA", "fr", "Écrivez ce que vous voulez."),
                                   ("de-DE", "en", "Write anything.")]:  # fmt: skip
        watched = open_page(contexts(locale=locale), f"{site.origin}/#/exercises/polyglot")
        expect(watched.page.locator(".wording")).to_contain_text(text)
        expect(watched.page.get_by_label("Read in")).to_have_value(language)
        watched.assert_clean()


def test_the_wording_route_picks_the_language_as_the_api_does(site: Site) -> None:
    url = f"{site.origin}/web/exercises/polyglot/wording"
    french = httpx.get(url, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert french.json()["language"] == "fr" and "Écrivez" in french.json()["html"]
    assert "Accept-Language" in french.headers["Vary"]
    chosen = httpx.get(url, params={"lang": "en"}, headers={"Accept-Language": "fr"})
    assert chosen.json()["language"] == "en" and "Write anything." in chosen.json()["html"]
