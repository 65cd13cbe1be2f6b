"""``scrapy crawl``, exiting nonzero when the crawl failed (Scrapy's own exits 0 whatever happened).

The exit status is 1 when the crawl's finish reason is a failure of its own
(``core.crawl_stats.FAILURES``: ``site_down``, ``requests_failed``, ``feeds_failed``), as when it
could not start.
"""

from __future__ import annotations

import argparse

from scrapy.commands import crawl
from scrapy.crawler import Crawler

from core.crawl_stats import FAILURES


class Command(crawl.Command):
    crawler: Crawler | None = None

    def _create_crawler(self, spname: str) -> Crawler:
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        stats = self.crawler.stats if self.crawler is not None else None
        if stats is not None and stats.get_value("finish_reason") in FAILURES:
            self.exitcode = 1
