"""The page object for pages of unknown layout, and the fallback when a site's selectors find nothing.

All the work is done by the pure functions of ``crawler.generic``; this class only runs them once
per response and maps their results onto the page-object contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from lxml import html
from web_poet import field, handle_urls

from crawler.generic.clean_tree import clean_tree, parse_html
from crawler.generic.main_text import (
    MainText,
    drop_furniture,
    drop_header,
    find_main_text,
    start_after_headline,
)
from crawler.generic.metadata import (
    byline_lines,
    find_editors,
    find_outlet,
    find_reporters,
    find_title,
    meta_content,
    reference_title,
    title_from_lines,
    title_line_index,
)
from crawler.generic.pubdate import DateText, find_date, meta_date
from crawler.generic.text_lines import Line, text_lines
from crawler.pages.base import ArticlePage

BYLINE_WINDOW = 12
"""Lines before the text searched for the byline (来源, 记者) when the title line is not found."""
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "lastmodified")
"""Meta tags (name or property) that say when a page was last changed."""
TRAILER_LINES = 4
"""Lines after the text searched for editors and bylines printed at the end."""


@dataclass
class GenericAnalysis:
    root: html.HtmlElement
    """The cleaned tree."""
    title: str | None
    lines: list[Line]
    main: MainText
    title_index: int | None
    published: DateText | None
    modified: str | None
    """When the page's meta tags say it was last changed, as they say it."""
    byline: list[str]
    """Short lines around the title and at the text's edges, where 来源/记者/编辑 are printed."""


def analyse(text: str, url: str | None = None) -> GenericAnalysis:
    """Run the generic extraction over decoded HTML *text*."""
    root = parse_html(text)
    title = find_title(root)
    meta = meta_date(root)
    modified = meta_content(root, *MODIFIED_META) or None
    clean_tree(root)
    lines = text_lines(root)
    main = start_after_headline(find_main_text(lines), lines, title)
    title = title_from_lines(lines, main.start, title, reference_title(root))
    main = drop_header(main, title)
    title_index = title_line_index(lines, title, main.start)
    published = find_date(meta, lines, title_index, (main.start, main.stop), url)
    header_start = title_index if title_index is not None else main.start - BYLINE_WINDOW
    byline = byline_lines(lines, header_start, main.start + 2) + byline_lines(
        lines, main.stop - 2, main.stop + TRAILER_LINES
    )
    return GenericAnalysis(root, title, lines, drop_furniture(main), title_index, published, modified, byline)


@handle_urls("")
class GenericArticlePage(ArticlePage):
    """Title, date, 来源, reporters and main text of any Chinese news page: the page object of every
    URL no site's rule claims (web-poet's empty pattern matches them all, after the sites' rules)."""

    name = "generic"

    @cached_property
    def analysis(self) -> GenericAnalysis:
        return analyse(self.response.text, str(self.response.url) or None)

    @field
    def title(self) -> str | None:
        return self.analysis.title

    @field
    def published_raw(self) -> str | None:
        published = self.analysis.published
        return str(published) if published is not None else None

    @field
    def modified_raw(self) -> str | None:
        return self.analysis.modified

    @field
    def outlet(self) -> str | None:
        return find_outlet(self.analysis.byline)

    @field
    def reporters(self) -> list[str]:
        return find_reporters(self.analysis.root, self.analysis.byline)

    @field
    def editors(self) -> list[str]:
        return find_editors(self.analysis.byline)

    @field
    def body_lines(self) -> list[str]:
        return [line.text for line in self.analysis.main.lines]
