"""Small helpers the site page objects share: paragraphs of a fragment, labels, whitespace."""

from __future__ import annotations

import re

from lxml import html as lxml_html
from parsel import Selector
from web_poet.mixins import SelectableMixin

_SPACE = re.compile(r"[\s\u3000\xa0]+")
BLOCK_TAGS = {"p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section"}


def squash(text: str | None) -> str:
    """*text* with runs of white space (ideographic space included) folded to one space, trimmed."""
    return _SPACE.sub(" ", text or "").strip()


def first_text(selector: Selector | SelectableMixin, *queries: str) -> str | None:
    """The squashed text of the first CSS query that matches something non-empty (in a selector or
    a page object)."""
    for query in queries:
        text = squash(" ".join(selector.css(query).css("::text").getall()))
        if text:
            return text
    return None


def strip_label(text: str | None, *labels: str) -> str | None:
    """*text* without a leading label such as ``来源：`` (either colon); None if nothing is left."""
    if text is None:
        return None
    pattern = r"^\s*(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：]?\s*"
    return squash(re.sub(pattern, "", text)) or None


def fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of an HTML fragment in order: block elements and ``<br>`` breaks end a line."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for bad in root.xpath(".//script|.//style|.//noscript"):
        bad.drop_tree()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = squash("".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(element) -> None:
        is_block = isinstance(element.tag, str) and element.tag in BLOCK_TAGS
        if is_block:
            flush()
        if isinstance(element.tag, str) and element.tag == "br":
            flush()
        elif isinstance(element.tag, str) and element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if is_block:
            flush()

    walk(root)
    flush()
    return lines
