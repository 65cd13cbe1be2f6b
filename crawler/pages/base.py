"""The page-object contract: one class per site maps a response to raw article fields.

A page object is pure: built from a response and nothing else, it fetches nothing and cleans
nothing. What it returns is *raw*: paragraphs as they stand on the page, bylines and boilerplate
included; ``processors.clean`` turns that into the finished article, so that `scrapy extract`,
the spiders and the tests all share one cleaning path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.http import TextResponse


@dataclass
class RawArticle:
    url: str
    title: str | None = None
    published_raw: str | None = None
    """The date/time text as the page shows it (e.g. ``2017-08-30 14:50:08``)."""
    outlet: str | None = None
    """来源 as shown, without its label."""
    reporters: list[str] = field(default_factory=list)
    """Names from a dedicated author element (``#author_baidu``), not from the text."""
    editors: list[str] = field(default_factory=list)
    """Names from a dedicated editor element, not from the text."""
    body_lines: list[str] = field(default_factory=list)
    """Paragraphs of the main text, in order, uncleaned."""
    extractor: str = ""
    quality: list[str] = field(default_factory=list)
    next_page_url: str | None = None
    """The next page of a multi-page article, if any (absolute URL)."""


class ArticlePage:
    """Base class: subclasses implement the field methods with their site's selectors."""

    name: str = ""

    def __init__(self, response: TextResponse) -> None:
        self.response = response

    def title(self) -> str | None:
        raise NotImplementedError

    def published_raw(self) -> str | None:
        return None

    def outlet(self) -> str | None:
        return None

    def reporters(self) -> list[str]:
        return []

    def editors(self) -> list[str]:
        return []

    def body_lines(self) -> list[str]:
        raise NotImplementedError

    def next_page_url(self) -> str | None:
        return None

    def to_raw(self) -> RawArticle:
        return RawArticle(
            url=self.response.url,
            title=self.title(),
            published_raw=self.published_raw(),
            outlet=self.outlet(),
            reporters=self.reporters(),
            editors=self.editors(),
            body_lines=self.body_lines(),
            extractor=self.name,
            next_page_url=self.next_page_url(),
        )
