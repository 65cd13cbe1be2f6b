"""Spidermon checks each crawl runs on itself when the spider closes.

The suite (``SPIDERMON_SPIDER_CLOSE_MONITORS``) checks the finish reason, the error count, the
field coverage of title, date, body and reporters (``SPIDERMON_FIELD_COVERAGE_RULES``; with
``SPIDERMON_FIELD_COVERAGE_SKIP_NONE``, since every field of our item always exists), that the list
pages still link to articles and that the article pages fetched still give articles. Spidermon
logs its report; :class:`RecordChecks` also puts the names of the checks that failed in the
crawl's stats (``spidermon/failed``), where ``STATS_FILE`` and so ``scrapy monitor`` read them.

A crawl that stores nothing new is normal (known articles are not fetched again), so the item
count is checked against the article pages fetched, not against a fixed number.
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import (
    ErrorCountMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
)
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from core.crawl_stats import CHECKS_FAILED, article_links, article_pages, list_pages

# Spidermon 1.27 writes its report with Spider.log(), which Scrapy 2.19 deprecates: one warning
# of two lines in every crawl's log, saying nothing about the crawl.
warnings.filterwarnings("ignore", r"Spider\.log\(\) is deprecated", ScrapyDeprecationWarning)


@monitors.name("Pages")
class PagesMonitor(BaseScrapyMonitor):
    """The list pages still link to articles, and the article pages still give articles."""

    @monitors.name("List pages link to articles")
    def test_list_pages_link_to_articles(self) -> None:
        pages = list_pages(self.data.stats)
        if not pages:
            self.skipTest("no list page was received")
        self.assertTrue(article_links(self.data.stats) > 0, msg=f"{pages} list pages linked to no article")

    @monitors.name("Article pages give articles")
    def test_article_pages_give_articles(self) -> None:
        pages = article_pages(self.data.stats)
        if not pages:
            self.skipTest("no article page was fetched")
        items = self.data.stats.get("item_scraped_count", 0)
        share = self.crawler.settings.getfloat("SPIDERMON_MIN_ARTICLES_PER_PAGE")
        self.assertTrue(
            items >= share * pages, msg=f"{pages} article pages gave {items} articles (at least {share:.0%})"
        )


class RecordChecks(Action):
    """Put the checks that failed in the crawl's stats (``spidermon/failed``: each check's name and
    why, on one line)."""

    def run_action(self) -> None:
        failed = [
            f"{result.item.monitor_name}: {' '.join(str(result.reason or result.status).split())}"
            for result in self.result.monitors_failed_results
        ]
        self.data.crawler.stats.set_value(CHECKS_FAILED, failed)


class CrawlChecks(MonitorSuite):
    monitors = [FinishReasonMonitor, ErrorCountMonitor, FieldCoverageMonitor, PagesMonitor]  # noqa: RUF012
    monitors_finished_actions = [RecordChecks]  # noqa: RUF012
