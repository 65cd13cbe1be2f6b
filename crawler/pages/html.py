"""Small helpers the site page objects share: paragraphs of a fragment, labels, whitespace, and
selectors written as CSS or XPath."""

from __future__ import annotations

import contextlib
import re

from cssselect import ExpressionError, SelectorError
from lxml import etree
from lxml import html as lxml_html
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath
from web_poet.mixins import SelectableMixin

from core.chinese import to_simplified

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_LABEL = re.compile(r"^\s*[(（【\[]?\s*(?P<label>[^\s:：()（）]{1,6})\s*[:：]\s*")
_FRAGMENT_PARSER = lxml_html.HTMLParser(huge_tree=True)
"""Parses fragments nested deeper than libxml2's default limit (256 elements), up to 2,048."""
BLOCK_TAGS = {"p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section"}


def squash(text: str | None) -> str:
    """*text* with runs of white space (ideographic space included) folded to one space, trimmed."""
    return _SPACE.sub(" ", text or "").strip()


def first_text(selector: Selector | SelectableMixin, *queries: str) -> str | None:
    """The squashed text of the first query (CSS, or XPath: see :func:`select`) that finds
    something non-empty, in a selector or a page object."""
    for query in queries:
        text = squash(" ".join(selected_texts(selector, query)))
        if text:
            return text
    return None


def strip_label(text: str | None, *labels: str) -> str | None:
    """*text* without a leading label such as ``来源：`` (either colon, in either script: 來源 is
    来源) and without brackets around the whole (``（责编：张敏）``); None if nothing is left."""
    if text is None:
        return None
    text = squash(text)
    if text[:1] in "(（【[" and text[-1:] in ")）】]":
        text = text[1:-1]
    pattern = r"^\s*(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：]?\s*"
    text = re.sub(pattern, "", text)
    if (match := _LABEL.match(text)) and to_simplified(match["label"]) in labels:
        text = text[match.end() :]
    return squash(text) or None


def select(selectable: Selector | SelectableMixin, query: str) -> SelectorList:
    """What *query* selects: XPath when it starts with ``/`` or ``(``, else CSS (parsel's, with its
    ``::text``, ``::attr()`` and ``:contains()`` extensions)."""
    if query.lstrip().startswith(("/", "(")):
        return selectable.xpath(query)
    return selectable.css(query)


def query_problem(query: str) -> str | None:
    """Why *query* is no selector :func:`select` can run (its parser's message), or None."""
    try:
        if query.lstrip().startswith(("/", "(")):
            etree.XPath(query)
        else:
            css2xpath(query)
    except (etree.XPathError, SelectorError, ExpressionError) as error:
        return str(error) or type(error).__name__
    return None


def selected_texts(selectable: Selector | SelectableMixin, query: str) -> list[str]:
    """The squashed, non-empty text of each node *query* selects (an element's whole text, or the
    attribute or text node it selects itself)."""
    texts = (
        item.get() if isinstance(item.root, str) else " ".join(item.css("::text").getall())
        for item in select(selectable, query)
    )
    return [text for text in map(squash, texts) if text]


def select_links(selectable: Selector | SelectableMixin, query: str) -> list[str]:
    """The link targets *query* finds: the ``href`` of each element it selects, or the attribute or
    text it selects itself."""
    hrefs = (
        item.get() if isinstance(item.root, str) else item.attrib.get("href")
        for item in select(selectable, query)
    )
    return [href.strip() for href in hrefs if href and href.strip()]


def nested_too_deep(text: str) -> bool:
    """Whether a page is nested deeper than lxml can parse even with ``huge_tree`` (2,048
    elements): what lies below that depth is lost to every parser of the project."""
    parser = lxml_html.HTMLParser(huge_tree=True)
    with contextlib.suppress(etree.ParserError, ValueError):
        lxml_html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def fragment_paragraphs(fragment: str, drop: str | None = None) -> list[str]:
    """The paragraphs of an HTML fragment in order: block elements and ``<br>`` breaks end a line.
    Elements the CSS selector *drop* matches (an editor line inside the body) are left out."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div", parser=_FRAGMENT_PARSER)
    unwanted = ".//script|.//style|.//noscript" + (f"|{css2xpath(drop)}" if drop else "")
    for bad in root.xpath(unwanted):
        bad.drop_tree()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = squash("".join(current))
        if line:
            lines.append(line)
        current.clear()

    # A walk without recursion: unclosed inline tags nest article bodies a thousand deep.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag and tag != "br" and element.text:
                current.append(element.text)
            continue
        if tag in BLOCK_TAGS:
            flush()
        if element is not root and element.tail:
            current.append(element.tail)
    flush()
    return lines
