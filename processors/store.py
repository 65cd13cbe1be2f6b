"""Item pipeline that stores articles (new, updated or unchanged) and announces what changed."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler import signals
from crawler.items import Article
from processors.database import ArticleStore

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: ArticleStore) -> None:
        self.crawler = crawler
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, ArticleStore(crawler.settings["DATABASE_URL"]))

    def process_item(self, item: Article) -> Article:
        outcome = self.store.save(item)
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

    def close_spider(self) -> None:
        self.store.close()
