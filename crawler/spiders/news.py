"""The spider every news site shares: channel lists → article pages, as the site catalogue says.

A spider here only decides what to fetch. Which articles are already stored is the
``KnownArticlesMiddleware``'s business; the article's fields are its page object's (injected by
scrapy-poet, chosen by URL); the rest is the item pipelines'.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from core.errors import reason
from core.items import MORE_PAGES, PAGE_FAILED, TOO_DEEP, Article
from core.sites import Site
from crawler.pages.base import RawArticle
from crawler.pages.html import nested_too_deep
from crawler.spiders.links import list_links


def article_from_raw(raw: RawArticle, site: Site, pages: int = 1) -> Article:
    """The uncleaned article item of *raw* (body = the raw lines), with its stable id."""
    number = site.article_number(raw.url)
    if number is None:
        raise ValueError(f"{raw.url} is not an article URL of {site.key}")
    return raw_article_item(
        raw, url=raw.url, site=site.key, article_id=number, id=site.article_id(number), pages=pages
    )


def raw_article_item(
    raw: RawArticle, *, url: str, site: str, article_id: str, id: str, pages: int = 1
) -> Article:
    """The article item of *raw*'s fields, uncleaned (body = the raw lines), under the identity
    given: the one mapping of a page object's fields to the item, for the crawl and the commands."""
    return Article(
        url=url,
        site=site,
        article_id=article_id,
        id=id,
        title=raw.title,
        published_raw=raw.published_raw,
        modified_raw=raw.modified_raw,
        outlet=raw.outlet,
        reporters=list(raw.reporters),
        editors=list(raw.editors),
        body="\n".join(raw.body_lines),
        quality=list(raw.quality),
        extractor=raw.extractor,
        pages=pages,
    )


@dataclass(frozen=True)
class EarlierPages:
    """The pages of a multi-page article read so far, joined (a type of its own: scrapy-poet injects
    every callback argument whose type a page object returns, and this one must come from the request)."""

    first: RawArticle
    urls: tuple[str, ...]
    """The pages fetched so far, in order."""


def list_pages_argument(value: str) -> int:
    """The ``pages`` spider argument: how many pages of each channel list to read, a whole number ≥ 1."""
    try:
        pages = int(value)
    except ValueError:
        pages = 0
    if pages < 1:
        raise ValueError(f"-a pages={value!r}: expected a whole number of list pages, 1 or more")
    return pages


class NewsSpider(scrapy.Spider):
    """The spider of one site; ``crawler.spiders.loader`` makes a subclass per catalogue entry.

    ``scrapy crawl <site> -a pages=N`` is a backfill: each channel list is read N pages deep
    instead of ``MAX_LIST_PAGES`` (``BackfillProgress`` reports how far it has come).
    """

    site: ClassVar[Site]

    def __init__(self, *args: Any, pages: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.site.domains)
        try:
            self.backfill_pages = list_pages_argument(pages) if pages is not None else None
        except ValueError as error:
            # A bad command line is one line, as a bad site catalogue is (crawler.spiders.loader),
            # not the traceback of a failed crawl.
            raise SystemExit(f"scrapy crawl {self.name}: {error}") from None

    @property
    def list_pages(self) -> int:
        """How many pages of each channel list this crawl reads."""
        return self.backfill_pages or self.settings.getint("MAX_LIST_PAGES")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield self.list_request(url, 1)

    def list_request(self, url: str, list_page: int, listed_on: str | None = None) -> scrapy.Request:
        """A request for a list page (marked so ``ConditionalGetMiddleware`` sends its validators);
        *listed_on*: the page of the same list before it."""
        meta = {"list_page": True, **({"listed_on": listed_on} if listed_on else {})}
        return scrapy.Request(url, callback=self.parse, cb_kwargs={"list_page": list_page}, meta=meta)

    def parse(self, response: Response, list_page: int = 1) -> Iterator[scrapy.Request]:
        """A list page: every article it links to, its next pages up to :attr:`list_pages`, and, on
        a front page, the channel lists it links (``crawler.spiders.links``).

        A list page answered ``304 Not Modified`` is what it was at the last crawl: its articles
        are stored and the pages after it did not change either, so it costs nothing more.
        """
        if response.status == 304:
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("spider/not_text")
            return
        links = list_links(self.site, response)
        for url in links.articles:
            yield scrapy.Request(
                url, callback=self.parse_article, meta={"article": True, "listed_on": response.url}
            )
        for url in links.channels:
            yield self.list_request(url, 1)
        if list_page < self.list_pages:
            for url in links.next_pages:
                yield self.list_request(url, list_page + 1, listed_on=response.url)

    def parse_article(
        self, response: Response, article: RawArticle, earlier: EarlierPages | None = None
    ) -> Iterator[Article | scrapy.Request]:
        """An article page (*article*: what its page object read, injected by scrapy-poet); the
        pages of a multi-page article are fetched in turn and joined. A next-page link back to a
        page already read (the 下一页 arrow of a last page, on some CMSs) ends the article, and so
        does a page nested too deep to read or ``MAX_ARTICLE_PAGES``, the article flagged
        (:data:`~core.items.TOO_DEEP`, :data:`~core.items.MORE_PAGES`) for admission to judge."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("spider/not_text")
            self.logger.warning("not a text page, skipped: %s", response.url)
            return
        self.crawler.stats.inc_value("spider/article_pages")
        too_deep = nested_too_deep(response.text)  # the parser stopped there: what follows is lost
        if earlier is not None:
            article = replace(
                earlier.first,
                body_lines=[*earlier.first.body_lines, *article.body_lines],
                next_page_url=article.next_page_url,
            )
        if too_deep:  # the article ends here, marked why (admission judges it)
            article = replace(article, quality=[*article.quality, TOO_DEEP], next_page_url=None)
        urls = (*earlier.urls, response.url) if earlier else (response.url,)
        next_url = article.next_page_url
        if next_url and next_url not in urls:
            if len(urls) < self.settings.getint("MAX_ARTICLE_PAGES"):
                yield scrapy.Request(
                    next_url,
                    callback=self.parse_article,
                    errback=self.next_page_failed,
                    cb_kwargs={"earlier": EarlierPages(article, urls)},
                )
                return
            article = replace(article, quality=[*article.quality, MORE_PAGES])
        yield article_from_raw(article, self.site, len(urls))

    def next_page_failed(self, failure: Failure) -> Iterator[Article]:
        """A later page of an article that could not be fetched (after its retries): the pages read
        are the article, flagged (:data:`~core.items.PAGE_FAILED`) for admission to store marked
        ``truncated``, rather than lost and fetched again on every crawl."""
        earlier: EarlierPages = failure.request.cb_kwargs["earlier"]
        self.logger.info(
            "page %d of %s not fetched: %s", len(earlier.urls) + 1, earlier.urls[0], reason(failure.value)
        )
        article = replace(earlier.first, quality=[*earlier.first.quality, PAGE_FAILED], next_page_url=None)
        yield article_from_raw(article, self.site, len(earlier.urls))
