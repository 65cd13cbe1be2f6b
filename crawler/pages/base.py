"""The page-object contract: a site's article page → :class:`RawArticle`, its fields as the page shows them.

What a page object returns is *raw*: paragraphs as they stand on the page, bylines and boilerplate
included. Cleaning is the item pipelines' job (``processors.clean``), the same for every site, for
`scrapy extract` and for plain-text input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from web_poet import HttpResponse, WebPage
from web_poet import field as poet_field

from crawler.encoding import decode_html


@dataclass
class RawArticle:
    url: str
    title: str | None = None
    published_raw: str | None = None
    """The date/time text as the page shows it (e.g. ``2017-08-30 14:50:08``)."""
    modified_raw: str | None = None
    """When the page says it was last changed, as it says it (``article:modified_time``)."""
    outlet: str | None = None
    """来源 as shown, without its label."""
    reporters: list[str] = field(default_factory=list)
    """Names from a dedicated author element (``#author_baidu``) or the byline, as shown."""
    editors: list[str] = field(default_factory=list)
    """Names from a dedicated editor element, as shown."""
    body_lines: list[str] = field(default_factory=list)
    """Paragraphs of the main text, in order, uncleaned."""
    extractor: str = ""
    """Which page object read the fields (the site's name, ``generic`` or ``text``)."""
    quality: list[str] = field(default_factory=list)
    next_page_url: str | None = None
    """The next page of a multi-page article, if any (absolute URL)."""


def has_text(article: RawArticle) -> bool:
    return any(line.strip() for line in article.body_lines)


class ArticlePage(WebPage[RawArticle]):
    """Base of every article page object: the URL and the extractor's name; no field else by default."""

    name = ""

    @poet_field
    def url(self) -> str:
        return str(self.response.url)

    @poet_field
    def extractor(self) -> str:
        return self.name

    @poet_field
    def title(self) -> str | None:
        return None

    @poet_field
    def published_raw(self) -> str | None:
        return None

    @poet_field
    def modified_raw(self) -> str | None:
        return None

    @poet_field
    def outlet(self) -> str | None:
        return None

    @poet_field
    def reporters(self) -> list[str]:
        return []

    @poet_field
    def editors(self) -> list[str]:
        return []

    @poet_field
    def body_lines(self) -> list[str]:
        return []

    @poet_field
    def next_page_url(self) -> str | None:
        return None


def response_from_bytes(body: bytes, url: str = "", http_charset: str | None = None) -> HttpResponse:
    """The response a page object reads for saved bytes, decoded as ``EncodingMiddleware`` would."""
    _, encoding = decode_html(body, http_charset)
    return HttpResponse(url=url, body=body, encoding=encoding)


def to_item_now(page: WebPage[RawArticle]) -> RawArticle:
    """The item of a page object that needs no I/O, without an event loop (`scrapy extract`).

    The page objects here read their response and nothing else, so ``to_item`` finishes without
    ever suspending; one that awaited a download would be a bug, reported as such.
    """
    coroutine = page.to_item()
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError(f"{type(page).__name__}.to_item() waited for I/O; page objects here must not")
