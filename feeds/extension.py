"""Scrapy extension: when a crawl ends, rebuild every feed that is behind the store.

That is the feeds of the crawl's new and updated articles, and any a crash left unbuilt before
(the store records what each feed was built from). The build runs in the crawl's store thread, off
the reactor. Settings: ``FEEDS_DIR``, ``FEEDS_BASE_URL``, ``FEEDS_FILES``, ``FEED_ID_AUTHORITY``.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from feeds.build import build_feeds, load_config
from storage.crawl import CrawlStore

logger = logging.getLogger(__name__)


class FeedsOnCrawlEnd:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.out_dir = Path(settings["FEEDS_DIR"])
        self.base_url = settings["FEEDS_BASE_URL"]
        self.authority = settings.get("FEED_ID_AUTHORITY") or None
        self.config = load_config(settings.getlist("FEEDS_FILES"))
        self.store = CrawlStore.from_crawler(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedsOnCrawlEnd:
        return cls(crawler)

    async def spider_closed(self) -> None:
        written = await self.store.run(
            partial(
                build_feeds,
                out_dir=self.out_dir,
                base_url=self.base_url,
                config=self.config,
                authority=self.authority,
            )
        )
        if not written:
            logger.info("every feed is up to date: none rebuilt")
            return
        rewritten = sum(written.values())
        self.crawler.stats.set_value("feeds/rebuilt", len(written))
        self.crawler.stats.set_value("feeds/rewritten", rewritten)
        logger.info("feeds: %d rebuilt, %d rewritten in %s", len(written), rewritten, self.out_dir)
