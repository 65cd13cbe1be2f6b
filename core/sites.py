"""The site catalogue (``data/sites.yaml`` and the files of ``SITES_FILES``): what is known of each site.

Every entry becomes a spider of its own (``crawler.spiders``); its page object is the site's own
(registered by URL with web-poet) or, for a site described only here, one that reads the
``selectors`` of its entry. A mistake in an entry stops with one line naming the file, the entry and
the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.data import DataFileError, layered_yaml, merge_by_key

SITES_FILE = "sites.yaml"
SELECTOR_FIELDS = ("title", "published", "outlet", "reporters", "editors", "body")
REQUIRED_KEYS = ("name", "start_urls", "list_url", "article_url")
OPTIONAL_KEYS = (
    "outlet", "domains", "page_object", "selectors", "next_list_page", "next_article_page",
    "encoding", "interval",
)  # fmt: skip
SITE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class SiteConfigError(DataFileError):
    """A site entry that cannot be used, with the file, entry and key it concerns."""


@dataclass(frozen=True)
class Site:
    key: str
    """The spider's name; also the first part of every article id of the site."""
    name: str
    outlet: str
    """The outlet (来源) to assume when a page names none (本报讯)."""
    domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    list_url: re.Pattern[str]
    article_url: re.Pattern[str]
    page_object: str | None = None
    """Dotted path of a page object class of the user's; None: the site's own or the selectors."""
    selectors: dict[str, str] = field(default_factory=dict, hash=False)
    """CSS or XPath (starting with ``/`` or ``(``) per field, for sites described only by data."""
    next_list_page: str | None = None
    next_article_page: str | None = None
    encoding: str | None = None
    interval: int | None = None
    """Seconds between crawls of this site by the monitor (None: ``MONITOR_INTERVAL``)."""
    source: str = field(default="", compare=False)
    """The file the entry was read from (for messages)."""

    def config_error(self, name: str, problem: str) -> SiteConfigError:
        """The error of this entry's key *name*: one line naming the file, the site and the key."""
        return SiteConfigError(config_message(self.source, self.key, name, problem))

    def article_number(self, url: str) -> str | None:
        """The site's own number of the article at *url*, or None if *url* is no article page."""
        match = self.article_url.match(url)
        if match is None:
            return None
        return match.group(1) if match.re.groups else urlsplit(url).path.strip("/")

    def article_id(self, number: str) -> str:
        """The article's stable id: ``<site>/<number>`` (``qzwb/5213417``); never changes."""
        return f"{self.key}/{number}"

    def is_list_page(self, url: str) -> bool:
        return bool(self.list_url.match(url))

    def owns(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


def site_from_entry(key: str, entry: dict[str, Any], source: str) -> Site:
    """The :class:`Site` of one catalogue entry, or a :class:`SiteConfigError` naming what is wrong."""

    def fail(name: str, problem: str) -> SiteConfigError:
        return SiteConfigError(config_message(source, key, name, problem))

    if not SITE_KEY.match(key):
        raise fail("name", "a site's key must be lower-case letters, digits and _ (it names its spider)")
    if unknown := sorted(set(entry) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)):
        raise fail(unknown[0], f"unknown key (known: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})")
    for name in REQUIRED_KEYS:
        if not entry.get(name):
            raise fail(name, "missing")
    start_urls = _strings(entry["start_urls"], "start_urls", fail)
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise fail("start_urls", f"not an http(s) URL: {url!r}")
    domains = _strings(entry.get("domains") or [urlsplit(u).hostname for u in start_urls], "domains", fail)
    selectors = entry.get("selectors") or {}
    if not isinstance(selectors, dict):
        raise fail("selectors", "expected a mapping of field: selector")
    if unknown := sorted(set(selectors) - set(SELECTOR_FIELDS)):
        raise fail(f"selectors.{unknown[0]}", f"unknown field (known: {', '.join(SELECTOR_FIELDS)})")
    interval = entry.get("interval")
    if interval is not None and (not isinstance(interval, int) or interval <= 0):
        raise fail("interval", f"expected a whole number of seconds, got {interval!r}")
    return Site(
        key=key,
        name=str(entry["name"]),
        outlet=str(entry.get("outlet") or entry["name"]),
        domains=domains,
        start_urls=start_urls,
        list_url=_regex(entry["list_url"], "list_url", fail),
        article_url=_regex(entry["article_url"], "article_url", fail),
        page_object=entry.get("page_object"),
        selectors={name: str(value) for name, value in selectors.items() if value},
        next_list_page=entry.get("next_list_page"),
        next_article_page=entry.get("next_article_page"),
        encoding=entry.get("encoding"),
        interval=interval,
        source=source,
    )


def config_message(source: str, key: str, name: str, problem: str) -> str:
    return f"{source}: site {key!r}: {name}: {problem}"


def _strings(value: Any, name: str, fail) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise fail(name, "expected a string or a list of strings")
    return tuple(values)


def _regex(value: Any, name: str, fail) -> re.Pattern[str]:
    try:
        return re.compile(str(value))
    except re.error as error:
        raise fail(name, f"not a regular expression ({error}): {value!r}") from error


@cache
def _load_sites(extra_files: tuple[str, ...]) -> dict[str, Site]:
    merged = merge_by_key(layered_yaml(SITES_FILE, extra_files))
    return {key: site_from_entry(key, entry, source) for key, (source, entry) in merged.items()}


def load_sites(extra_files: Iterable[str | Path] = ()) -> dict[str, Site]:
    """Every site of the packaged catalogue and of *extra_files* (``SITES_FILES``), by key."""
    return _load_sites(tuple(str(path) for path in extra_files))


def site_for_url(url: str, sites: dict[str, Site]) -> Site | None:
    """The site of *sites* that *url* belongs to, if any."""
    return next((site for site in sites.values() if site.owns(url)), None)
