"""A store that stays bounded: articles older than the retention (``STORE_RETENTION_DAYS``) go.

An article's age is that of its place in the feeds (its publication, else when it was first seen).
It is deleted with its tags, and counted out of its topics, whose versions rise: the next feed build
(a crawl's end, the monitor, `scrapy feeds build`) rewrites exactly those feeds. The work is done in
batches of :data:`PRUNE_BATCH` articles, each one transaction: a crawl writing to the same store, or
a server reading it, waits for one batch at most (on SQLite, readers never wait at all).
`scrapy db prune` runs :func:`prune_expired`; the monitor can call it as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from storage.store import ALL, ArticleStore

PRUNE_BATCH = 500
"""Articles deleted per transaction."""


@dataclass
class Pruned:
    """What a prune removed."""

    before: datetime
    articles: int = 0
    batches: int = 0
    topics: set[tuple[str, str]] = field(default_factory=set)
    """The topics that lost articles: their feeds are rebuilt by the next build."""


def retention_days(setting: object) -> float | None:
    """The ``STORE_RETENTION_DAYS`` setting as days (None, or an empty value: keep everything); a
    value that is not a positive number is a ``ValueError`` saying so."""
    if setting is None or setting == "":
        return None
    try:
        days = float(setting)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        days = 0.0
    if not 0 < days < math.inf:
        raise ValueError(f"STORE_RETENTION_DAYS={setting!r}: expected a positive number of days")
    return days


def retention_cutoff(days: float, now: datetime | None = None) -> datetime:
    """The time before which an article is older than *days* days."""
    try:
        return (now or datetime.now(UTC)) - timedelta(days=days)
    except OverflowError:  # more days than the calendar holds: nothing is that old
        return datetime.min.replace(tzinfo=UTC)


def prune(store: ArticleStore, before: datetime, batch: int = PRUNE_BATCH) -> Pruned:
    """Delete every article placed before *before*, *batch* articles per transaction."""
    pruned = Pruned(before)
    while lost := store.delete_older(before, batch):
        pruned.batches += 1
        pruned.articles += lost[ALL]
        pruned.topics |= lost.keys()
    return pruned


def prune_expired(store: ArticleStore, days: float | None, now: datetime | None = None) -> Pruned | None:
    """Prune what is older than *days* (``STORE_RETENTION_DAYS``); None: no retention, all is kept."""
    if days is None:
        return None
    return prune(store, retention_cutoff(days, now))
