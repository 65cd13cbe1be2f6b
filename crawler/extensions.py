"""Extensions: what happens when a crawl ends."""

from __future__ import annotations

import json
import resource
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from core.crawl_stats import PEAK_MEMORY
from core.files import write_atomically


def peak_memory() -> int:
    """The crawl process's peak resident memory so far, in bytes (Scrapy's ``memusage/max`` is
    sampled once a minute: a crawl of seconds would show its start only)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


class StatsFile:
    """Write the crawl's stats as JSON to ``STATS_FILE`` when the crawl ends (for the monitor
    and the tests: what was requested, stored, skipped and dropped), with the process's peak memory.

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
        stats = {
            **self.crawler.stats.get_stats(),
            "spider": self.crawler.spider.name,
            PEAK_MEMORY: peak_memory(),
        }
        write_atomically(self.path, json.dumps(stats, default=str, ensure_ascii=False, indent=1).encode())
