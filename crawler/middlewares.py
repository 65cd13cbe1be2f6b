"""Downloader and spider middlewares of the project."""

from __future__ import annotations

import logging
import zlib
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.url import url_is_from_any_domain

from core import crawl_stats
from crawler.encoding import decode_html
from storage.crawl import CrawlStore
from storage.store import ArticleStore, Validators

logger = logging.getLogger(__name__)


class EncodingMiddleware:
    """Downloader middleware: decode pages by what their bytes are, not only what they claim.

    Scrapy trusts the HTTP charset; Chinese sites send ``utf-8`` for GBK pages or declare gb2312
    for GB18030 text. ``crawler.encoding.decode_html`` checks each claim against the bytes, the
    site's own (its catalogue entry's ``encoding``) first.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler)

    def site_encoding(self) -> str | None:
        """The ``encoding`` of the crawling spider's site, if its catalogue entry gives one."""
        site = getattr(self.crawler.spider, "site", None)
        return getattr(site, "encoding", None)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        http_charset = content_type.partition("charset=")[2].strip(" \"';") or None
        _, encoding = decode_html(response.body, http_charset, hint=self.site_encoding())
        if encoding.replace("_", "-").lower() == response.encoding.replace("_", "-").lower():
            return response
        if http_charset:
            self.stats.inc_value("encoding/header_contradicted")
            logger.info(
                "%s says charset %s but its bytes are %s: read as such", response.url, http_charset, encoding
            )
        return response.replace(encoding=encoding)


class LenientCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, except for a body its ``Content-Encoding`` lies about (``gzip`` on
    plain bytes, or broken compressed data): Scrapy fails the request; here the body is read as it
    was sent, and the lie logged at INFO with the URL and counted (``httpcompression/not_compressed``).
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            encoding = response.headers.get(b"Content-Encoding", b"").decode("latin-1")
            logger.info(
                "%s says Content-Encoding %s but is not (%s): read as sent", response.url, encoding, error
            )
            self.stats.inc_value("httpcompression/not_compressed")
            headers = response.headers.copy()
            del headers["Content-Encoding"]
            return response.replace(headers=headers)


class OnSiteMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh handling, except for a refresh to another site: that page is kept.

    Some news pages carry a whole article and a ``<meta http-equiv="refresh">`` to another host (an
    e-paper edition). Scrapy would replace the response with a request for that host, which the
    offsite filter then drops: the article would be lost. A refresh off the spider's
    ``allowed_domains`` is logged at INFO with both URLs and counted (``metarefresh/offsite_kept``);
    the page itself goes on to its callback.
    """

    def process_response(self, request: Request, response: Response) -> Request | Response:
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if domains and isinstance(response, HtmlResponse) and not request.meta.get("dont_redirect"):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and not url_is_from_any_domain(url, domains):
                logger.info("Not following the meta refresh of %s off-site to %s", response.url, url)
                self.crawler.stats.inc_value("metarefresh/offsite_kept")
                return response
        return super().process_response(request, response)


def retry_after(value: bytes | None, now: datetime | None = None) -> float | None:
    """The seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None
    if it is missing or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting before retrying a ``429`` or ``503`` as long as its ``Retry-After``
    says, up to ``RETRY_AFTER_MAX`` seconds (a longer wait is cut to that).

    The wait holds only that request (the reactor and the other downloads go on); it is logged at
    INFO with the URL and counted (``retry/retry_after``; ``retry/retry_after_capped`` for a wait
    cut to the cap). Without the header, or for other codes, retries are Scrapy's own. Pages given
    up after their retries are counted apart from robots.txt (``retry/pages_given_up``).
    """

    WAIT_CODES = frozenset({429, 503})

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX")

    def _retry(self, request: Request, reason: str | Exception | type[Exception]) -> Request | None:
        """Scrapy's retry of *request*, or None when it gives up: then a page's request (robots.txt's
        aside) is counted as ``retry/pages_given_up``, which ``core.crawl_stats.failure`` reads."""
        retry = super()._retry(request, reason)
        if retry is None and urlparse_cached(request).path != "/robots.txt":
            self.crawler.stats.inc_value(crawl_stats.PAGES_GIVEN_UP)
        return retry

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        retry = super().process_response(request, response)
        if retry is response:  # not retried
            return response
        asked = retry_after(response.headers.get(b"Retry-After"))
        if asked and response.status in self.WAIT_CODES:
            wait = min(asked, self.max_wait)
            stats = self.crawler.stats
            stats.inc_value("retry/retry_after")
            if wait < asked:
                stats.inc_value("retry/retry_after_capped")
            logger.info(
                "%s answered %d with Retry-After %.0f s: retrying in %.0f s",
                request.url,
                response.status,
                asked,
                wait,
            )
            await sleep(wait)
        return retry


class LoggedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with the redirects it gives up on logged at INFO with the URL and
    counted: a loop (a redirect back to a URL of the same chain, which the duplicate filter would
    drop without a word: ``redirect/loop``) and a chain longer than ``REDIRECT_MAX_TIMES``
    (``redirect/max_reached``)."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain and not request.dont_filter:
            self.crawler.stats.inc_value("redirect/loop")
            logger.info(
                "Redirect loop from %s: %s redirects back to %s; dropped",
                chain[0],
                request.url,
                redirected.url,
            )
            raise IgnoreRequest("redirect loop")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            self.crawler.stats.inc_value("redirect/max_reached")
            logger.info("More than %d redirects from %s: dropped", self.max_redirect_times, chain[0])
            raise


class ConditionalGetMiddleware:
    """Downloader middleware: ask for a list page only if it changed since the last crawl.

    List pages (``meta["list_page"]``) are requested with the ``ETag`` / ``Last-Modified`` their
    server sent last time (``If-None-Match`` / ``If-Modified-Since``), read from the store when the
    spider opens; a ``304 Not Modified`` reaches the spider, which parses nothing. What a finished
    crawl saw is kept in the store for the next one, so it survives restarts: for each list page
    whose new articles (``meta["listed_on"]``) were all stored, and whose next pages (listed on it
    the same way) were complete too. A page that linked an article the crawl could not store (an
    error, a page whose text was not found or was rejected) is read again next time, and so are the
    pages before it in its channel (an unchanged first page would hide it), so the article is tried
    again; an interrupted or failed crawl keeps nothing. Stats:
    ``conditional_get/sent``, ``conditional_get/not_modified``, ``conditional_get/modified``.
    ``CONDITIONAL_GET = False``, or ``REFETCH_KNOWN = True`` (which must see every list), turns it off;
    a backfill (``-a pages=N``) sends no validators, since an unchanged first page says nothing of
    the deeper pages no crawl has read yet.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("CONDITIONAL_GET") or settings.getbool("REFETCH_KNOWN"):
            raise NotConfigured
        self.crawler = crawler
        self.store = CrawlStore.from_crawler(crawler)
        self.known: dict[str, Validators] = {}
        self.seen: dict[str, Validators] = {}
        self.linked: dict[str, set[str]] = {}
        """List page -> the new articles it linked (those the store did not hold) and its next pages."""
        self.stored: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    async def spider_opened(self, spider: Spider) -> None:
        if getattr(spider, "backfill_pages", None):
            return  # a backfill reads every list page it passes: deeper pages than last time lie behind
        self.known = await self.store.run(ArticleStore.validators, spider.name)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != "finished":
            return
        done: dict[str, bool] = {}
        for url in self.seen:
            self.work_out(url, done)
        complete = {url: found for url, found in self.seen.items() if done[url]}
        await self.store.run(ArticleStore.save_validators, spider.name, complete)

    def work_out(self, url: str, done: dict[str, bool]) -> None:
        """Record in *done* whether list page *url* is complete: every new article it linked was
        stored, and every next page it linked was answered and is complete too (a page on a cycle
        of next pages is not). Depth first without recursion (a backfill's chain of next pages is
        hundreds long), each page worked out once; a page is False while it is being worked out."""
        if url in done:
            return
        done[url] = False
        stack = [(url, iter(self.linked.get(url, ())))]
        while stack:
            page, links = stack[-1]
            link = next((link for link in links if link not in self.stored and not done.get(link)), None)
            if link is None:
                done[page] = True
                stack.pop()
            elif link in done or link not in self.seen:  # on the stack, incomplete, or never answered
                return  # every page on the stack leads to it: they stay incomplete
            else:
                done[link] = False
                stack.append((link, iter(self.linked.get(link, ()))))

    def item_scraped(self, item: Any) -> None:
        self.stored.add(item.url)

    def process_request(self, request: Request) -> None:
        if listed_on := request.meta.get("listed_on"):
            self.linked.setdefault(listed_on, set()).add(request.url)
        known = self.known.get(request.url) if request.meta.get("list_page") else None
        if known is None:
            return
        if known.etag:
            request.headers["If-None-Match"] = known.etag
        if known.last_modified:
            request.headers["If-Modified-Since"] = known.last_modified
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]
        self.crawler.stats.inc_value("conditional_get/sent")

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("list_page"):
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("conditional_get/not_modified")
            self.seen[request.url] = self.known[request.url]
        elif response.status == 200:
            if request.url in self.known:
                self.crawler.stats.inc_value("conditional_get/modified")
            etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
            if etag or modified:
                self.seen[request.url] = Validators(
                    etag.decode("latin-1") if etag else None, modified.decode("latin-1") if modified else None
                )
        return response


class KnownArticlesMiddleware:
    """Spider middleware: never request an article the store already holds.

    The store is the source of truth: at the start of a crawl it loads the URLs it holds for the
    spider's site, and every request marked ``meta["article"]`` for one of them is dropped and
    counted (``known_articles/skipped``; the others count as ``known_articles/new``).
    ``REFETCH_KNOWN = True`` turns this off to re-check stored articles for edits. Pages the
    admission rules rejected in ``ADMIT_MAX_ATTEMPTS`` crawls (``processors.admit``) are given up:
    never requested again either (``known_articles/given_up``), whatever ``REFETCH_KNOWN`` says.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.enabled = not crawler.settings.getbool("REFETCH_KNOWN")
        self.max_attempts = crawler.settings.getint("ADMIT_MAX_ATTEMPTS")
        self.known: set[str] = set()
        self.given_up: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticlesMiddleware:
        return cls(crawler)

    async def spider_opened(self, spider: Spider) -> None:
        store = CrawlStore.from_crawler(self.crawler)
        self.given_up = await store.run(ArticleStore.given_up_urls, spider.name, self.max_attempts)
        if self.given_up:
            spider.logger.info(
                "%d pages of %s given up (rejected by %d crawls)",
                len(self.given_up),
                spider.name,
                self.max_attempts,
            )
        if not self.enabled:
            return
        self.known = await store.run(ArticleStore.known_urls, spider.name)
        spider.logger.info("%d articles of %s already stored", len(self.known), spider.name)

    def _keep(self, entry: Any) -> bool:
        if not isinstance(entry, Request) or not entry.meta.get("article"):
            return True
        if entry.url in self.given_up:
            self.crawler.stats.inc_value("known_articles/given_up")
            return False
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
