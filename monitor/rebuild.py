"""Feeds rebuilt as articles land, not only when a crawl ends.

Child crawls only store. Every ``MONITOR_FEEDS_POLL`` seconds the monitor asks the store whether a
topic's version is ahead of its feed (``ArticleStore.topics(stale_only=True)``: one small query)
and, if one is, rebuilds exactly those feeds (``FeedBuilder.build``, handed the topics the poll
read), one build at a time and at most once every ``MONITOR_FEEDS_DEBOUNCE`` seconds (a poll waits
out the debounce first, so what it reads is what the build follows), so a crawl storing 200
articles rebuilds a feed a few times, never once per article, and an article is in its feeds
within poll + debounce + one build of being stored. A poll that finds nothing rewrites nothing. Each
changed feed is announced to the WebSub hub, if one is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from functools import partial
from pathlib import Path

from feeds.build import FeedBuilder
from feeds.websub import announce_in_thread
from monitor.metrics import Metrics
from monitor.store import MonitorStore
from storage.store import ArticleStore, TopicState

logger = logging.getLogger(__name__)


def stale_topics(store: ArticleStore) -> list[TopicState]:
    """The topics whose feed is behind the store."""
    return store.topics(stale_only=True)


class FeedRebuilder:
    def __init__(
        self, store: MonitorStore, builder: FeedBuilder, metrics: Metrics, poll: float, debounce: float
    ) -> None:
        self.store = store
        self.builder = builder
        self.metrics = metrics
        self.poll = poll
        self.debounce = debounce
        self.last_build = float("-inf")
        self.stopping = asyncio.Event()
        self.lock = asyncio.Lock()

    async def run(self) -> None:
        """Watch the store and rebuild until :meth:`stop`."""
        while not self.stopping.is_set():
            await self.sleep(self.last_build + self.debounce - time.monotonic())
            if self.stopping.is_set():
                return
            try:
                stale = await self.store.run(stale_topics)
            except Exception:
                stale = []  # logged by the store; tried again at the next poll
            if stale:
                await self.build(stale)
            else:
                await self.sleep(self.poll)

    async def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), seconds)

    async def build(self, stale: list[TopicState] | None = None) -> dict[Path, bool]:
        """Rebuild the feeds behind the store now (after a build already running); *stale*: the
        topics behind it, as just read."""
        async with self.lock:
            self.last_build = time.monotonic()
            try:
                written = await self.store.run(partial(self.builder.build, stale=stale))
            except Exception as error:
                logger.error("feed build failed: %s", " ".join(str(error).split())[:300])
                return {}
            seconds = time.monotonic() - self.last_build
        if not written:
            return written
        changed = self.builder.rewritten_urls(written)
        self.metrics.rebuilds.inc()
        self.metrics.feeds_rewritten.inc(len(changed))
        self.metrics.build_duration.observe(seconds)
        logger.info(
            "feeds rebuilt: %d behind the store, %d rewritten, in %.2fs", len(written), len(changed), seconds
        )
        await announce_in_thread(self.builder.hub, changed)
        return written

    def stop(self) -> None:
        self.stopping.set()
