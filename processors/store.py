"""Item pipeline that stores articles (new, updated or unchanged) and announces what changed.

The write runs in the crawl's store thread (``storage.crawl``), off the reactor; items wait for it,
so an article counts as stored only once its transaction has committed. An article published
before the store's retention (``STORE_RETENTION_DAYS``) is not stored: the next prune would delete
it (a backfill deeper than the retention stores nothing it would lose again).

A new article is linked to a story in the same transaction (``storage.stories``): to the story of a
copy of it stored in the last days, else to one of its own. Its MinHash key is computed in the store
thread too, for a new article only (a known one fetched again costs none), and whether the 来源 it
names is its own site's is told from the site catalogue (``SITES_FILES``): a copy credits another
outlet, which is how a story's original is known.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core import signals
from core.items import Article
from core.sites import Site, load_sites
from storage.crawl import CrawlStore
from storage.retention import retention_cutoff, retention_days
from storage.store import ArticleStore

logger = logging.getLogger(__name__)


def names_own_outlet(article: Article, site: Site | None) -> bool:
    """Whether the 来源 *article* names is its own *site*'s (its name or outlet), or none."""
    return not article.outlet or site is None or article.outlet in (site.name, site.outlet)


class StorePipeline:
    def __init__(
        self,
        crawler: Crawler,
        store: CrawlStore,
        kept_since: datetime | None = None,
        sites: dict[str, Site] | None = None,
    ) -> None:
        self.crawler = crawler
        self.store = store
        self.kept_since = kept_since
        self.sites = sites or {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        days = retention_days(crawler.settings.get("STORE_RETENTION_DAYS"))
        sites = load_sites(crawler.settings.getlist("SITES_FILES"))
        return cls(crawler, CrawlStore.from_crawler(crawler), retention_cutoff(days) if days else None, sites)

    async def process_item(self, item: Article) -> Article:
        if self.kept_since and item.published and item.published < self.kept_since:
            self.crawler.stats.inc_value("store/expired")
            raise DropItem(
                f"published {item.published.date()}, before the store's retention: {item.url}",
                log_level="DEBUG",  # expected, and counted: not worth a line (and the item) each
            )
        own_outlet = names_own_outlet(item, self.sites.get(item.site))
        outcome = await self.store.run(partial(ArticleStore.save, own_outlet=own_outlet), item)
        self.crawler.stats.inc_value(f"store/{outcome.result}")
        if outcome.story is not None:
            self.crawler.stats.inc_value("stories/new" if outcome.story == item.id else "stories/copies")
        if outcome.result != "unchanged":
            logger.info("%s article %s: %s", outcome.result, item.id, item.title)
            self.crawler.signals.send_catch_log(
                signals.article_stored,
                article=item,
                result=outcome.result,
                previous_tags=outcome.previous_tags,
            )
        return item
