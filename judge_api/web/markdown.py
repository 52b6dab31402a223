"""Exercise wordings as safe HTML: Markdown rendered, then sanitized, on the server.

Wordings come from exercise authors (any `author` token may upload one), and
the page shows them to every student: a wording must not be able to run
script in the page, nor make the reader's browser fetch anything from outside
the service. Two independent layers, then the page's Content-Security-Policy
as a third:

1. markdown-it (CommonMark, plus tables and strikethrough) with raw HTML
   off: `<script>` or `<img onerror=...>` in the Markdown comes out as text,
   and `javascript:` links are not links.
2. Ammonia (nh3) keeps only its allow-list of tags, attributes and URL
   schemes, whatever the first layer let through.

The page titles an exercise with its `<h1>`, so a wording's headings move one
level down, and a first heading that only repeats the title is dropped.

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
    """The wording's headings one level down; a first heading that is the title, dropped."""
    if len(tokens) > 2 and tokens[0].type == "heading_open" and tokens[1].content.strip() == title:
        tokens = tokens[3:]
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return tokens


def render(markdown: str, title: str) -> str:
    """The HTML of an exercise's wording `markdown`, safe to insert in the page."""
    parser = _parser()
    tokens = _under_title(parser.parse(markdown), title.strip())
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(
        html,
        url_schemes=URL_SCHEMES,
        attribute_filter=_keep,
        link_rel="noopener noreferrer nofollow",
    )
