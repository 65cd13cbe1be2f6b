"""Scrapy extension: when a crawl ends, rebuild the feeds its new or updated articles touch."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler import signals as project_signals
from crawler.items import Article
from feeds.build import Topic, build_feeds, load_config, topics_of
from processors.database import ArticleStore, article_tags

logger = logging.getLogger(__name__)


class FeedsOnCrawlEnd:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = load_config()
        self.touched: set[Topic] = set()
        crawler.signals.connect(self.article_stored, signal=project_signals.article_stored)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FeedsOnCrawlEnd:
        return cls(crawler)

    def article_stored(
        self, article: Article, result: str, previous_tags: frozenset[tuple[str, str]]
    ) -> None:
        self.touched |= topics_of(article_tags(article) | previous_tags, self.config)

    def spider_closed(self, spider: Spider) -> None:
        if not self.touched:
            logger.info("no new or updated articles: feeds left as they are")
            return
        settings = self.crawler.settings
        store = ArticleStore(settings["DATABASE_URL"])
        try:
            written = build_feeds(
                store, self.touched, Path(settings["FEEDS_DIR"]), settings["FEEDS_BASE_URL"]
            )
        finally:
            store.close()
        self.crawler.stats.set_value("feeds/rebuilt", len(written))
        self.crawler.stats.set_value("feeds/rewritten", sum(written.values()))
        logger.info(
            "feeds: %d rebuilt, %d rewritten in %s",
            len(written),
            sum(written.values()),
            settings["FEEDS_DIR"],
        )
