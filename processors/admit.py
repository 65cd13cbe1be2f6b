"""The admission pipeline: the rules of ``processors.admission`` applied in a crawl, their rejections
recorded in the store.

Runs after ``processors.clean`` (the title is then present or derived, boilerplate gone) and before
tagging and storing, so that tags come from the text that is kept. A rejected article is dropped,
logged with its URL and reason, and counted (``admit/rejected/<reason>``); the store records the
rejection, and the page, not being known, is tried again by the next crawl, up to
``ADMIT_MAX_ATTEMPTS`` crawls: then it is given up (``admit/given_up``, logged) and the spiders skip
it (``crawler.middlewares.KnownArticlesMiddleware``). An admitted article's body is capped at
``MAX_BODY_CHARS``, and one whose later pages were not read is marked as cut short
(``admit/truncated``, and ``admit/truncated/<reason>``: ``max_body_chars``, ``too_deep``,
``page_failed``, ``more_pages``; logged).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.items import Article
from processors.admission import Rules, capped, rejection, shortfall
from storage.crawl import CrawlStore
from storage.store import ArticleStore

logger = logging.getLogger(__name__)


class AdmitPipeline:
    """Item pipeline: drops (and records) articles the admission rules reject; caps the others."""

    def __init__(self, crawler: Crawler, rules: Rules, max_attempts: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.rules = rules
        self.max_attempts = max_attempts
        self.store = CrawlStore.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AdmitPipeline:
        settings = crawler.settings
        return cls(crawler, Rules.from_settings(settings), settings.getint("ADMIT_MAX_ATTEMPTS"))

    async def process_item(self, item: Article) -> Article:
        rejected = rejection(item, self.rules)
        if rejected is not None:
            self.stats.inc_value("admit/rejected")
            self.stats.inc_value(f"admit/rejected/{rejected.key}")
            attempts = await self.store.run(ArticleStore.reject, item.site, item.url, rejected.reason)
            if attempts >= self.max_attempts:
                self.stats.inc_value("admit/given_up")
                raise DropItem(f"{rejected.reason}; given up after {attempts} crawls: {item.url}")
            raise DropItem(f"{rejected.reason} (crawl {attempts} of {self.max_attempts}): {item.url}")
        admitted = item
        short = shortfall(item)
        if short is not None:
            admitted = replace(item, truncated=True)
            self.stats.inc_value(f"admit/truncated/{short.key}")
            logger.info("%s: %s, marked truncated", item.url, short.reason)
        cut = capped(admitted, self.rules.max_body_chars)
        if cut is not admitted:
            self.stats.inc_value("admit/truncated/max_body_chars")
            logger.info(
                "body of %s cut to %d of %d characters (MAX_BODY_CHARS)",
                item.url,
                len(cut.body),
                len(item.body),
            )
        if cut.truncated and not item.truncated:
            self.stats.inc_value("admit/truncated")
        return cut
