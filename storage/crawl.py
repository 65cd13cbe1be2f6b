"""The one store of a crawl: opened once, shared by the components that need it, used off the reactor.

The known-articles filter, the store pipeline and the feed rebuild at the crawl's end all ask
:meth:`CrawlStore.from_crawler` for the same object. Its calls run one after another in a single
thread of its own, as Scrapy hands blocking feed storages to a thread, so the crawl's downloads and
any server in the same process keep going while the database is written; the store opens on the
first call and closes when the engine stops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads
from twisted.internet.defer import Deferred
from twisted.python.threadpool import ThreadPool

from storage.store import ArticleStore

T = TypeVar("T")

_STORES: WeakKeyDictionary[Crawler, CrawlStore] = WeakKeyDictionary()


class CrawlStore:
    def __init__(self, url: str) -> None:
        from twisted.internet import reactor

        self.url = url
        self._store: ArticleStore | None = None
        self._reactor = reactor
        self._thread = ThreadPool(minthreads=1, maxthreads=1, name="article-store")
        self._thread.start()
        self._shutdown = reactor.addSystemEventTrigger("during", "shutdown", self._thread.stop)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStore:
        """The crawl's store (``DATABASE_URL``), made by the first component that asks."""
        if crawler not in _STORES:
            store = cls(crawler.settings["DATABASE_URL"])
            crawler.signals.connect(store.close, signal=signals.engine_stopped)
            _STORES[crawler] = store
        return _STORES[crawler]

    def call(self, function: Callable[..., T], *args: object) -> Deferred[T]:
        """``function(store, *args)`` in the store's thread, after every call made before it."""
        return threads.deferToThreadPool(self._reactor, self._thread, self._run, function, *args)

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """:meth:`call`, awaited."""
        return await maybe_deferred_to_future(self.call(function, *args))

    def _run(self, function: Callable[..., T], *args: object) -> T:
        if self._store is None:
            self._store = ArticleStore(self.url)
        return function(self._store, *args)

    async def close(self) -> None:
        """Close the database after the calls already made, then stop the thread."""
        await maybe_deferred_to_future(threads.deferToThreadPool(self._reactor, self._thread, self._close))
        self._thread.stop()
        self._reactor.removeSystemEventTrigger(self._shutdown)

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
