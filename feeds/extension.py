"""Scrapy extension: when a crawl ends, rebuild every feed that is behind the store.

That is the feeds of the crawl's new and updated articles, and any a crash left unbuilt before
(the store records what each feed was built from). The build runs in the crawl's store thread, off
the reactor. Settings: those of :meth:`feeds.build.FeedBuilder.from_settings`;
``FEEDS_BUILD_ON_CRAWL_END = False`` turns it off (``scrapy monitor``'s crawls: it builds itself).

Stats: ``feeds/rebuilt``, ``feeds/rewritten`` and ``feeds/failed``, the feeds that could not be
written (each logged with its reason; a build that failed as a whole counts as one), which the
crawl's finish reason reads.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from core.errors import reason
from feeds.build import FeedBuilder
from feeds.websub import announce_in_thread
from storage.crawl import CrawlStore

logger = logging.getLogger(__name__)


class FeedsOnCrawlEnd:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.builder = FeedBuilder.from_settings(crawler.settings)
        self.store = CrawlStore.from_crawler(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedsOnCrawlEnd:
        if not crawler.settings.getbool("FEEDS_BUILD_ON_CRAWL_END"):
            raise NotConfigured
        return cls(crawler)

    async def spider_closed(self) -> None:
        try:
            written = await self.store.run(self.builder.build)
        except Exception as error:
            logger.error("feed build failed in %s: %s", self.builder.out_dir, reason(error))
            self.crawler.stats.set_value("feeds/failed", 1)
            return
        if written.failed:
            self.crawler.stats.set_value("feeds/failed", len(written.failed))
        if not written:
            logger.info("every feed is up to date: none rebuilt")
            return
        rewritten = sum(written.values())
        self.crawler.stats.set_value("feeds/rebuilt", len(written))
        self.crawler.stats.set_value("feeds/rewritten", rewritten)
        logger.info("feeds: %d rebuilt, %d rewritten in %s", len(written), rewritten, self.builder.out_dir)
        await announce_in_thread(self.builder.hub, self.builder.rewritten_urls(written))
