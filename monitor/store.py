"""The monitor's store: opened once, used from one thread of its own, off the event loop.

Every call (the feed watcher's cheap look at the topics, the builds, the runs and health events)
runs in that thread one after another, so a build never races a health-feed write. Whether the
last call reached the database is kept for ``/healthz``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from core.errors import reason
from storage.store import ArticleStore

logger = logging.getLogger(__name__)

T = TypeVar("T")


class MonitorStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._store: ArticleStore | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-store")
        self.error: str | None = None
        """Why the last call failed (None: it succeeded)."""

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(store, *args)`` in the store's thread, after every call made before it."""
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._thread, self._run, function, *args)
        except Exception as error:
            message = reason(error)
            if message != self.error:
                logger.error("store error: %s", message)
            self.error = message
            raise
        if self.error is not None:
            logger.info("store reachable again")
        self.error = None
        return result

    def _run(self, function: Callable[..., T], *args: object) -> T:
        if self._store is None:
            self._store = ArticleStore(self.url)
        return function(self._store, *args)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._thread, self._close)
        self._thread.shutdown(wait=True)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
