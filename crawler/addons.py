"""Scrapy add-ons of the project: settings derived from other settings once all are known."""

from __future__ import annotations

from scrapy.settings import BaseSettings


class PageLimits:
    """``MAX_PAGE_BYTES`` as Scrapy's ``DOWNLOAD_MAXSIZE``, with ``DOWNLOAD_WARNSIZE`` at a quarter
    of it, at the add-on priority: ``-s MAX_PAGE_BYTES=N`` moves both, and either set on its own
    (project settings or the command line) wins."""

    def update_settings(self, settings: BaseSettings) -> None:
        limit = settings.getint("MAX_PAGE_BYTES")
        settings.set("DOWNLOAD_MAXSIZE", limit, priority="addon")
        settings.set("DOWNLOAD_WARNSIZE", limit // 4, priority="addon")
