"""The monitor: crawl every site again and again, on a schedule, in one long-running process.

APScheduler (3.x, on the crawl's own asyncio event loop) starts a *round* at once and then every
``MONITOR_INTERVAL`` seconds: each spider crawls in turn, and each crawl's end rebuilds the feeds
that are behind the store (``feeds.extension``). A round never overlaps the previous one; a failing crawl is
logged and counted in the status file, and the monitor carries on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.dates import SHANGHAI
from core.files import write_atomically

logger = logging.getLogger(__name__)

REPORTED_STATS = (
    "downloader/request_count",
    "spider/article_pages",
    "store/new",
    "store/updated",
    "known_articles/skipped",
    "feeds/rewritten",
    "log_count/ERROR",
)


@dataclass
class SpiderStatus:
    runs: int = 0
    failures: int = 0
    last_started: str | None = None
    last_finished: str | None = None
    last_reason: str | None = None
    last_stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class MonitorStatus:
    started: str
    rounds: int = 0
    spiders: dict[str, SpiderStatus] = field(default_factory=dict)


def now_iso() -> str:
    return datetime.now(SHANGHAI).isoformat(timespec="seconds")


class Monitor:
    def __init__(
        self, process, spiders: list[str], interval: float, jitter: float, status_file: Path
    ) -> None:
        self.process = process
        self.spiders = spiders
        self.interval = interval
        self.jitter = jitter
        self.status_file = status_file
        self.status = MonitorStatus(started=now_iso(), spiders={name: SpiderStatus() for name in spiders})
        self.scheduler: AsyncIOScheduler | None = None

    def start(self, event_loop, once: bool = False) -> None:
        """Schedule the rounds on *event_loop* (the first at once); call before the loop runs."""
        self.scheduler = AsyncIOScheduler(event_loop=event_loop, timezone=SHANGHAI)
        trigger = IntervalTrigger(seconds=self.interval, jitter=self.jitter or None, timezone=SHANGHAI)
        self.scheduler.add_job(
            self.run_round,
            trigger,
            args=[once],
            id="round",
            next_run_time=datetime.now(SHANGHAI),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self.scheduler.start()

    async def run_round(self, once: bool = False) -> None:
        self.status.rounds += 1
        logger.info("monitor round %d: %s", self.status.rounds, ", ".join(self.spiders))
        for name in self.spiders:
            await self.crawl(name)
        if once:
            self.stop()

    async def crawl(self, name: str) -> None:
        status = self.status.spiders[name]
        status.runs += 1
        status.last_started = now_iso()
        crawler = self.process.create_crawler(name)
        try:
            await self.process.crawl(crawler)
        except Exception:
            status.failures += 1
            status.last_reason = "error"
            logger.exception("crawl of %s failed; the monitor carries on", name)
        else:
            stats = crawler.stats.get_stats()
            status.last_reason = stats.get("finish_reason", "unknown")
            status.last_stats = {key: stats.get(key, 0) for key in REPORTED_STATS}
        status.last_finished = now_iso()
        self.write_status()

    def write_status(self) -> None:
        data = asdict(self.status)
        write_atomically(self.status_file, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def stop(self) -> None:
        from twisted.internet import reactor

        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        reactor.callLater(0, reactor.stop)
