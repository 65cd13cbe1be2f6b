"""Downloader and spider middlewares of the project."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from crawler.encoding import decode_html
from storage.crawl import CrawlStore
from storage.store import ArticleStore


class EncodingMiddleware:
    """Downloader middleware: decode pages by what their bytes are, not only what they claim.

    Scrapy trusts the HTTP charset; Chinese sites send ``utf-8`` for GBK pages or declare gb2312
    for GB18030 text. ``crawler.encoding.decode_html`` checks each claim against the bytes.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        http_charset = content_type.partition("charset=")[2].strip(" \"';") or None
        _, encoding = decode_html(response.body, http_charset)
        if encoding.replace("_", "-").lower() == response.encoding.replace("_", "-").lower():
            return response
        if http_charset:
            self.stats.inc_value("encoding/header_contradicted")
        return response.replace(encoding=encoding)


class KnownArticlesMiddleware:
    """Spider middleware: never request an article the store already holds.

    The store is the source of truth: at the start of a crawl it loads the URLs it holds for the
    spider's site, and every request marked ``meta["article"]`` for one of them is dropped and
    counted (``known_articles/skipped``; the others count as ``known_articles/new``).
    ``REFETCH_KNOWN = True`` turns this off to re-check stored articles for edits.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled = not crawler.settings.getbool("REFETCH_KNOWN")
        self.known: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticlesMiddleware:
        return cls(crawler)

    async def spider_opened(self, spider: Spider) -> None:
        if not self.enabled:
            return
        self.known = await CrawlStore.from_crawler(self.crawler).run(ArticleStore.known_urls, spider.name)
        spider.logger.info("%d articles of %s already stored", len(self.known), spider.name)

    def _keep(self, entry: Any) -> bool:
        if not isinstance(entry, Request) or not entry.meta.get("article"):
            return True
        if entry.url in self.known:
            self.crawler.stats.inc_value("known_articles/skipped")
            return False
        self.crawler.stats.inc_value("known_articles/new")
        return True

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return (entry for entry in result if self._keep(entry))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for entry in result:
            if self._keep(entry):
                yield entry
