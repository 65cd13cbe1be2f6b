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
PAGES_GIVEN_UP = "retry/pages_given_up"
"""Requests for pages (robots.txt aside) given up after their retries (``crawler.middlewares``)."""


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


STATUS_COUNTS = "downloader/response_status_count/"
ROBOTS_STATUS_COUNTS = "robotstxt/response_status_count/"


def responses(stats: Stats, prefix: str, classes: str | None = None) -> int:
    """The responses counted under *prefix* (followed by the status code): all, or those whose
    status class, its first digit, is one of *classes* (``"23"``: successes and redirects)."""
    return sum(
        count
        for key, count in stats.items()
        if key.startswith(prefix) and (classes is None or key.removeprefix(prefix)[:1] in classes)
    )


def answered(stats: Stats) -> int:
    """Responses that were not server errors (robots.txt's included)."""
    return responses(stats, STATUS_COUNTS) - responses(stats, STATUS_COUNTS, "5")


def request_errors(stats: Stats) -> int:
    """Requests that failed: download errors and 5xx answers."""
    return stats.get("downloader/exception_count", 0) + responses(stats, STATUS_COUNTS, "5")


FAILURES = {
    "site_down": "no page of the site was answered",
    "requests_failed": "nothing stored: requests failed",
    "feeds_failed": "feeds could not be written",
}
"""The finish reasons of a crawl that failed (``crawler.extensions.FinishReason``), and what each
means; ``scrapy crawl`` exits nonzero with them."""


def given_up_requests(stats: Stats) -> int:
    """Requests for pages given up after their retries (download errors, 5xx and 429 answers;
    robots.txt's left out: a site without one is not down)."""
    return stats.get(PAGES_GIVEN_UP, 0)


def pages_answered(stats: Stats) -> int:
    """Pages answered with a success or a redirect (2xx, 3xx), robots.txt left out."""
    return responses(stats, STATUS_COUNTS, "23") - responses(stats, ROBOTS_STATUS_COUNTS, "23")


def failure(stats: Stats) -> str | None:
    """The failure a crawl's requests came to (a key of :data:`FAILURES`), or None: the site
    answered no page at all, or the crawl stored nothing while requests were given up."""
    if not given_up_requests(stats):
        return None
    if not pages_answered(stats):
        return "site_down"
    if not stats.get("item_scraped_count", 0):
        return "requests_failed"
    return None
