"""Item pipeline that stores articles (new, updated or unchanged) and announces what changed.

The write runs in the crawl's store thread (``storage.crawl``), off the reactor; items wait for it,
so an article counts as stored only once its transaction has committed. An article published
before the store's retention (``STORE_RETENTION_DAYS``) is not stored: the next prune would delete
it (a backfill deeper than the retention stores nothing it would lose again).
"""

from __future__ import annotations

import logging
from datetime import datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core import signals
from core.items import Article
from storage.crawl import CrawlStore
from storage.retention import retention_cutoff, retention_days
from storage.store import ArticleStore

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: CrawlStore, kept_since: datetime | None = None) -> None:
        self.crawler = crawler
        self.store = store
        self.kept_since = kept_since

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        days = retention_days(crawler.settings.get("STORE_RETENTION_DAYS"))
        return cls(crawler, CrawlStore.from_crawler(crawler), retention_cutoff(days) if days else None)

    async def process_item(self, item: Article) -> Article:
        if self.kept_since and item.published and item.published < self.kept_since:
            self.crawler.stats.inc_value("store/expired")
            raise DropItem(
                f"published {item.published.date()}, before the store's retention: {item.url}",
                log_level="DEBUG",  # expected, and counted: not worth a line (and the item) each
            )
        outcome = await self.store.run(ArticleStore.save, item)
        self.crawler.stats.inc_value(f"store/{outcome.result}")
        if outcome.result != "unchanged":
            logger.info("%s article %s: %s", outcome.result, item.id, item.title)
            self.crawler.signals.send_catch_log(
                signals.article_stored,
                article=item,
                result=outcome.result,
                previous_tags=outcome.previous_tags,
            )
        return item
