"""`scrapy monitor`: the long-running service that crawls every site on its schedule and keeps the
feeds fresh (``monitor.service``), optionally serving them with ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.log import configure_logging
from scrapy.utils.reactor import install_reactor
from twisted.internet.error import CannotListenError

from crawler.mirror import DEFAULT_ROOT, server_url, start_in_thread
from feeds.build import FeedBuilder
from feeds.serve import cannot_listen, listen, served_url
from monitor.service import Monitor, MonitorConfig
from monitor.store import MonitorStore
from monitor.web import HealthResource, MetricsResource

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "INFO"}

    def syntax(self) -> str:
        return "[SPIDER...] [--serve PORT] [--bind H] [--mirror] [--once]"

    def short_desc(self) -> str:
        return "Crawl every site on its schedule in child processes and keep the feeds fresh (a service)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--once", action="store_true", help="crawl every site once, rebuild, exit")
        parser.add_argument(
            "--serve", type=int, metavar="PORT", help="serve the feeds, /healthz and /metrics on PORT"
        )
        parser.add_argument("--bind", default="127.0.0.1", help="address for --serve (default: %(default)s)")
        parser.add_argument(
            "--mirror",
            action="store_true",
            help="start the bundled local mirrors (MIRROR_DIR) and monitor them instead of the real sites",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        configure_logging(self.settings)
        known = get_spider_loader(self.settings).list()
        spiders = args or self.settings.getlist("MONITOR_SPIDERS") or sorted(known)
        if unknown := sorted(set(spiders) - set(known)):
            raise UsageError(f"unknown spider(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        crawl_settings = {}
        if opts.mirror:
            mirror = start_in_thread(Path(self.settings.get("MIRROR_DIR") or DEFAULT_ROOT))
            crawl_settings["MIRROR_URL"] = server_url(mirror)
            print(f"Mirrors of the sites at {server_url(mirror)}", file=sys.stderr, flush=True)
        if self.settings.get("WEBSUB_HUB") and not self.settings.get("FEEDS_BASE_URL"):
            logger.warning(
                "WEBSUB_HUB is set but not FEEDS_BASE_URL: the hub is told of feeds it cannot fetch"
            )
        config = MonitorConfig.from_settings(self.settings, spiders, crawl_settings)
        builder = FeedBuilder.from_settings(self.settings)
        monitor = Monitor(config, MonitorStore(self.settings["DATABASE_URL"]), builder)

        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor

        if opts.serve is not None and not self.serve(monitor, opts.bind, opts.serve):
            return
        reactor.callWhenRunning(lambda: asyncio.ensure_future(self.main(monitor, opts.once)))
        reactor.run(installSignalHandlers=False)

    async def main(self, monitor: Monitor, once: bool) -> None:
        from twisted.internet import reactor

        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, lambda: asyncio.ensure_future(self.stop(monitor)))
        try:
            await monitor.start(once=once)
        except Exception as error:
            logger.error("the monitor cannot start: %s", " ".join(str(error).split()))
            self.exitcode = 1
            reactor.stop()
            return
        if once:
            await self.stop(monitor)
        else:
            logger.info("monitoring %s", ", ".join(monitor.sites))

    async def stop(self, monitor: Monitor) -> None:
        """Stop the monitor, then the reactor (a second signal only hurries the first stop)."""
        from twisted.internet import reactor

        first = not monitor.stopping
        await monitor.stop()
        if first:
            reactor.stop()

    def serve(self, monitor: Monitor, bind: str, port: int) -> bool:
        """Serve the feeds, /healthz and /metrics on *bind*:*port*; False (and a line) if it cannot."""
        try:
            listening = listen(
                self.settings,
                port,
                bind,
                children={
                    b"healthz": HealthResource(monitor.health),
                    b"metrics": MetricsResource(monitor.metrics.registry),
                },
            )
        except CannotListenError as error:
            print(cannot_listen(error, bind, port), file=sys.stderr)
            self.exitcode = 1
            return False
        base = served_url(listening, bind)
        print(f"Serving the feeds at {base} (health: {base}healthz, metrics: {base}metrics)", flush=True)
        return True
