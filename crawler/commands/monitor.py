"""`scrapy monitor`: keep crawling every site on a schedule and keep the feeds fresh."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from feeds.build import tag_vocabulary
from feeds.schedule import Monitor
from feeds.serve import listen


class Command(ScrapyCommand):
    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "INFO"}

    def syntax(self) -> str:
        return "[SPIDER...] [--once] [--serve PORT]"

    def short_desc(self) -> str:
        return "Crawl the sites every MONITOR_INTERVAL seconds and rebuild the feeds (a long-running service)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--once", action="store_true", help="run one round of crawls, then exit")
        parser.add_argument(
            "--serve", type=int, metavar="PORT", help="also serve FEEDS_DIR over HTTP on PORT"
        )
        parser.add_argument("--bind", default="127.0.0.1", help="address for --serve (default: %(default)s)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        known = self.crawler_process.spider_loader.list()
        spiders = args or self.settings.getlist("MONITOR_SPIDERS") or sorted(known)
        if unknown := sorted(set(spiders) - set(known)):
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        monitor = Monitor(
            self.crawler_process,
            spiders,
            interval=self.settings.getfloat("MONITOR_INTERVAL"),
            jitter=self.settings.getfloat("MONITOR_JITTER"),
            status_file=Path(self.settings["MONITOR_STATUS_FILE"]),
        )
        if opts.serve is not None:
            listen(
                Path(self.settings["FEEDS_DIR"]),
                opts.serve,
                opts.bind,
                base_url=self.settings.get("FEEDS_BASE_URL") or None,
                vocabulary=tag_vocabulary(self.settings),
            )
        monitor.start(asyncio.get_event_loop(), once=opts.once)
        self.crawler_process.start(stop_after_crawl=False)
