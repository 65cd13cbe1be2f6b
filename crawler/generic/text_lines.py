"""The page as lines of text in reading order.

A line is the text between two block boundaries: a ``<p>``, a ``<div>``'s own text, a table cell,
or a run of text between ``<br>``s. Each line knows how much of it is link text and whether it is a
heading, which is all the main-text scorer needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree, html

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
        "br",
        "text",
    }
)
"""Tags that start a new line. ``text`` is the wrapper some crawl archives put around a page."""

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class Line:
    text: str
    """Whitespace runs collapsed to one space, stripped."""
    chars: int
    """Characters other than white space."""
    link_chars: int
    """Of those, characters inside ``<a>``."""
    heading: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


def visible_chars(text: str) -> int:
    """The characters of *text* that are not white space."""
    return len("".join(text.split()))


class _LineBuilder:
    """Accumulates text pieces and emits a Line at each block boundary."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.pieces: list[str] = []
        self.chars = 0
        self.link_chars = 0
        self.heading = False

    def add(self, text: str, in_link: bool, in_heading: bool) -> None:
        chars = visible_chars(text)
        self.pieces.append(text)
        if not chars:
            return
        self.chars += chars
        self.heading = self.heading or in_heading
        if in_link:
            self.link_chars += chars

    def flush(self) -> None:
        """End the line (most block boundaries have nothing to end: white space at most)."""
        if self.chars:
            text = " ".join("".join(self.pieces).split())
            self.lines.append(Line(text, self.chars, self.link_chars, self.heading))
            self.chars, self.link_chars, self.heading = 0, 0, False
        if self.pieces:
            self.pieces = []


def text_lines(root: html.HtmlElement) -> list[Line]:
    """Lines of visible text under *root*, in document order."""
    builder = _LineBuilder()
    links = headings = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in BLOCK_TAGS:
                builder.flush()
            links += tag == "a"
            headings += tag in HEADING_TAGS
            if element.text and tag:
                builder.add(element.text, links > 0, headings > 0)
        else:
            links -= tag == "a"
            headings -= tag in HEADING_TAGS
            if tag in BLOCK_TAGS:
                builder.flush()
            if element.tail and element is not root:
                builder.add(element.tail, links > 0, headings > 0)
    builder.flush()
    return builder.lines
