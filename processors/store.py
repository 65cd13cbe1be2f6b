"""Item pipeline that stores articles (new, updated or unchanged) and announces what changed.

The write runs in the crawl's store thread (``storage.crawl``), off the reactor; items wait for it,
so an article counts as stored only once its transaction has committed.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from core import signals
from core.items import Article
from storage.crawl import CrawlStore
from storage.store import ArticleStore

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: CrawlStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, CrawlStore.from_crawler(crawler))

    async def process_item(self, item: Article) -> Article:
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
