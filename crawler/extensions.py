"""Extensions: what a crawl reports while it runs and when it ends."""

from __future__ import annotations

import json
import logging
import resource
from collections import Counter
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

from core import crawl_stats
from core.crawl_stats import PEAK_MEMORY
from core.files import write_atomically

logger = logging.getLogger(__name__)


def peak_memory() -> int:
    """The crawl process's peak resident memory so far, in bytes (Scrapy's ``memusage/max`` is
    sampled once a minute: a crawl of seconds would show its start only)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


class FinishReason:
    """End a crawl that failed with a finish reason that says so (``core.crawl_stats.FAILURES``),
    logged at ERROR, so that ``scrapy crawl`` exits nonzero (``crawler.commands.crawl``):

    - ``site_down``: requests for pages were given up after their retries and no page was answered
      (robots.txt aside in both);
    - ``requests_failed``: requests for pages were given up and nothing was stored;
    - ``feeds_failed``: the feed build at the crawl's end could not write some feeds (its stat
      ``feeds/failed``); the crawl's own reason, if it failed, is kept.

    The first two close the spider with their reason when it has nothing left to do; the last is
    known only after the spider closed, and is written over ``finish_reason`` before the stats
    file is (this extension comes before ``StatsFile``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FinishReason:
        return cls(crawler)

    def spider_idle(self) -> None:
        stats = self.crawler.stats.get_stats()
        if (reason := crawl_stats.failure(stats)) is not None:
            logger.error(
                "%s: %s (%d requests given up)",
                reason,
                crawl_stats.FAILURES[reason],
                crawl_stats.given_up_requests(stats),
            )
            raise CloseSpider(reason)

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        failed = stats.get_value("feeds/failed", 0)
        if failed and stats.get_value("finish_reason") == "finished":
            logger.error("feeds_failed: %d feeds could not be written", failed)
            stats.set_value("finish_reason", "feeds_failed")


class StatsFile:
    """Write the crawl's stats as JSON to ``STATS_FILE`` when the crawl ends (for the monitor
    and the tests: what was requested, stored, skipped and dropped), with the process's peak memory.

    Written when the engine stops, after every ``spider_closed`` handler has finished (the feed
    rebuild runs in one and counts what it wrote)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        path = crawler.settings.get("STATS_FILE")
        if not path:
            raise NotConfigured  # no message: Scrapy would log a warning for an unset option
        return cls(crawler, Path(path))

    def engine_stopped(self) -> None:
        stats = {
            **self.crawler.stats.get_stats(),
            "spider": self.crawler.spider.name,
            PEAK_MEMORY: peak_memory(),
        }
        write_atomically(self.path, json.dumps(stats, default=str, ensure_ascii=False, indent=1).encode())


class BackfillProgress:
    """Log how far a backfill (``scrapy crawl <site> -a pages=N``) has come, every
    ``BACKFILL_PROGRESS_INTERVAL`` seconds, as Scrapy's ``LogStats`` logs its periodic line::

        backfill cri: 57/~140 articles stored (list pages: 12 read, ~6 to come)

    The estimate comes from the list pages read so far: the new articles they linked (requests that
    passed the known-articles filter and the duplicate filter), plus, for the list pages still to
    come, as many per page as so far. A list page still to come counts with the pages its channel
    may still have behind it (N minus its depth), so the estimate starts near the final figure and
    falls as channels turn out shorter. Crawls without ``pages`` log nothing.
    """

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.task: AsyncioLoopingCall | LoopingCall | None = None
        self.articles_found = 0
        self.list_pages_read = 0
        self.list_pages_to_come: Counter[int] = Counter()
        """Scheduled list pages not yet read, by their depth in their channel (1 = its first page)."""
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackfillProgress:
        interval = crawler.settings.getfloat("BACKFILL_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider: Spider) -> None:
        self.pages = getattr(spider, "backfill_pages", None)
        if not self.pages:
            return
        connect = self.crawler.signals.connect
        connect(self.request_scheduled, signal=signals.request_scheduled)
        connect(self.request_dropped, signal=signals.request_dropped)
        connect(self.request_left_downloader, signal=signals.request_left_downloader)
        connect(self.spider_closed, signal=signals.spider_closed)
        self.task = create_looping_call(self.log)
        self.task.start(self.interval, now=False)

    def request_scheduled(self, request: Request) -> None:
        self._count(request, +1)

    def request_dropped(self, request: Request) -> None:
        self._count(request, -1)

    def _count(self, request: Request, change: int) -> None:
        if request.meta.get("article"):
            self.articles_found += change
        elif depth := request.cb_kwargs.get("list_page"):
            self.list_pages_to_come[depth] += change

    def request_left_downloader(self, request: Request) -> None:
        if depth := request.cb_kwargs.get("list_page"):
            self.list_pages_to_come[depth] -= 1
            self.list_pages_read += 1

    def estimate(self) -> tuple[int, int] | None:
        """(articles, list pages) the backfill will come to, or None before any list page is read."""
        if not self.list_pages_read:
            return None
        to_come = max(0, sum(n * (self.pages - depth + 1) for depth, n in self.list_pages_to_come.items()))
        per_page = self.articles_found / self.list_pages_read
        return round(self.articles_found + per_page * to_come), to_come

    def log(self) -> None:
        stored = self.crawler.stats.get_value("item_scraped_count", 0)
        name = self.crawler.spider.name
        if (estimate := self.estimate()) is None:
            logger.info("backfill %s: %d articles stored (no list page read yet)", name, stored)
            return
        articles, to_come = estimate
        logger.info(
            "backfill %s: %d/~%d articles stored (list pages: %d read, ~%d to come)",
            name,
            stored,
            max(articles, stored),
            self.list_pages_read,
            to_come,
        )

    def spider_closed(self, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        logger.info(
            "backfill %s %s: %d articles stored of %d found on %d list pages, %d deep",
            self.crawler.spider.name,
            reason,
            self.crawler.stats.get_value("item_scraped_count", 0),
            self.articles_found,
            self.list_pages_read,
            self.pages,
        )
