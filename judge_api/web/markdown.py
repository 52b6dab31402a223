"""Wordings and checkers' messages as safe HTML: Markdown rendered, then sanitized, on the server.

Wordings come from exercise authors (any `author` token may upload one), and
so do check scripts and custom checkers, whose output is a Markdown message
for the student; the page shows both. Neither may run script in the page,
nor make the reader's browser fetch anything from outside the service. Two
independent layers, then the page's Content-Security-Policy as a third:

1. markdown-it (CommonMark, plus tables and strikethrough) with raw HTML
   off: `<script>` or `<img onerror=...>` in the Markdown comes out as text,
   and `javascript:` links are not links.
2. Ammonia (nh3) keeps only its allow-list of tags, attributes and URL
   schemes, whatever the first layer let through.

The page titles an exercise with its `<h1>`, so a wording's headings move one
level down, and a first heading that only repeats the title is dropped; a
message sits in a table of results under `<h2>` and `<h3>`, so its headings
start at `<h4>`.

Images are kept only when inline (`data:image/...`): a remote image would be a
request leaving the service (a tracker), and the service serves no exercise
files; any other image shows its alt text.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

URL_SCHEMES = {"http", "https", "mailto", "data"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """Ammonia's attribute filter: data URLs only as inline images, never as links."""
    url = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if url.startswith("data:image/") else None
    if attribute == "href" and url.startswith("data:"):
        return None
    return value


def _under_title(tokens: list[Token], title: str) -> list[Token]:
    """The wording's tokens without a first heading that is only the title."""
    if len(tokens) > 2 and tokens[0].type == "heading_open" and tokens[1].content.strip() == title:
        return tokens[3:]
    return tokens


def _safe_html(tokens: list[Token], levels_down: int) -> str:
    """`tokens` as sanitized HTML, their headings `levels_down` levels lower (h6 at most)."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + levels_down, 6)}"
    parser = _parser()
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(
        html,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep,
        link_rel="noopener noreferrer nofollow",
    )


def render(markdown: str, title: str) -> str:
    """The HTML of an exercise's wording `markdown`, safe to insert in the page."""
    return _safe_html(_under_title(_parser().parse(markdown), title.strip()), 1)


def render_message(markdown: str) -> str:
    """The HTML of a checker's message to the student, safe to insert in the page."""
    return _safe_html(_parser().parse(markdown), 3)
