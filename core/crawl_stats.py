"""What a crawl's stats say about it: read by the crawl's own checks (``crawler.monitors``) and by
``scrapy monitor`` from the stats file the crawl wrote (``monitor.outcome``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Stats = Mapping[str, Any]
CHECKS_FAILED = "spidermon/failed"
"""The crawl's own Spidermon checks that failed, each as "name: why" (``crawler.monitors``)."""
PEAK_MEMORY = "process/peak_memory"
"""The crawl process's peak resident memory in bytes, written with the stats file."""


def article_pages(stats: Stats) -> int:
    return stats.get("spider/article_pages", 0)


def article_links(stats: Stats) -> int:
    """How many article links the crawl's list pages gave, stored articles' included (counted by
    the known-articles filter; with ``REFETCH_KNOWN`` the article pages fetched)."""
    known = stats.get("known_articles/new", 0) + stats.get("known_articles/skipped", 0)
    return known or article_pages(stats)


def unchanged_list_pages(stats: Stats) -> int:
    """List pages answered ``304 Not Modified``: unchanged since the last crawl, so read for nothing."""
    return stats.get("conditional_get/not_modified", 0)


def list_pages(stats: Stats) -> int:
    """How many list pages the crawl received and read: pages other than article pages and
    robots.txt, those answered 304 (unchanged, nothing to read) left out."""
    received = stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0)
    return max(received - article_pages(stats) - unchanged_list_pages(stats), 0)


def answered(stats: Stats) -> int:
    """Responses that were not server errors (robots.txt's included)."""
    return sum(
        count
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/") and not key.rpartition("/")[2].startswith("5")
    )


def request_errors(stats: Stats) -> int:
    """Requests that failed: download errors and 5xx answers."""
    server_errors = sum(
        count for key, count in stats.items() if key.startswith("downloader/response_status_count/5")
    )
    return stats.get("downloader/exception_count", 0) + server_errors
