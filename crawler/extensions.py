"""Extensions: what happens when a crawl ends."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from core.files import write_atomically


class StatsFile:
    """Write the crawl's stats as JSON to ``STATS_FILE`` when the crawl ends (for the monitor
    and the tests: what was requested, stored, skipped and dropped).

    Written when the engine stops, after every ``spider_closed`` handler has finished (the feed
    rebuild runs in one and counts what it wrote)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        path = crawler.settings.get("STATS_FILE")
        if not path:
            raise NotConfigured  # no message: Scrapy would log a warning for an unset option
        return cls(crawler, Path(path))

    def engine_stopped(self) -> None:
        stats = {**self.crawler.stats.get_stats(), "spider": self.crawler.spider.name}
        write_atomically(self.path, json.dumps(stats, default=str, ensure_ascii=False, indent=1).encode())
