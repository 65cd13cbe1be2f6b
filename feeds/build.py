"""Atom feeds from the store: one for all articles, one per city, one per initiative.

Which feeds are out of date is read from the store: each topic's version rises with every change to
its articles, and a build records the version it wrote (``storage.schema.TopicRow``). A crash
between storing an article and rebuilding its feeds therefore heals on the next build. A feed is
rewritten only when its bytes differ, and replaced atomically; everything in it derives from stored
data (its ``updated`` is the newest entry's), so rebuilding an unchanged feed yields the same bytes.

Feed and entry ids are tag URIs (RFC 4151) under the deployer's authority, fixed in the store at
the first build: ``tag:feeds.example.org,2026-11-30:qzwb/5213417``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator
from lxml import etree

from core.data import DataFileError, layered_yaml
from core.dates import SHANGHAI
from core.files import write_if_changed
from core.items import Article
from storage.store import ArticleStore, StoredArticle

logger = logging.getLogger(__name__)

FEEDS_FILE = "feeds.yaml"
CATEGORY_SCHEME = "https://regional-news-monitor.invalid/tags/"
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
INDEX_FILE = "feeds.opml"
AUTHORITY_KEY, DATE_KEY = "feed_id_authority", "feed_id_date"
DNS_NAME = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)
"""RFC 4151's ``DNSname``: dot-separated components of letters, digits and inner hyphens."""
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@" + DNS_NAME.pattern[1:])
SPECIFIC_SAFE = "/:@-._~!$&'()*+,;="
"""What a tag URI's specific part may hold unescaped (RFC 3986 ``pchar`` and ``/``)."""


@dataclass(frozen=True, order=True)
class Topic:
    """What one feed holds: every article (``all``) or those with one tag (``city``, ``泉州``)."""

    kind: str
    value: str = ""

    def path(self, config: FeedConfig) -> str:
        return config.kinds[self.kind]["path"].format(value=self.value)


@dataclass(frozen=True)
class FeedConfig:
    max_entries: int
    language: str
    author: str
    kinds: dict[str, dict[str, str]]


@dataclass(frozen=True)
class FeedIds:
    """Mints the feeds' and entries' tag URIs: ``tag:<authority>,<date>:<specific>``."""

    authority: str
    date: str

    def feed(self, topic: Topic) -> str:
        return self._uri("feeds/" + (topic.kind if topic.kind == "all" else f"{topic.kind}/{topic.value}"))

    def entry(self, article: Article) -> str:
        return self._uri(article.id)

    def _uri(self, specific: str) -> str:
        return f"tag:{self.authority},{self.date}:{quote(specific, safe=SPECIFIC_SAFE)}"


def load_config(extra_files: Iterable[str | Path] = ()) -> FeedConfig:
    """``data/feeds.yaml`` with the files of ``FEEDS_FILES`` merged over it (kinds by name)."""
    return _load_config(tuple(str(path) for path in extra_files))


@cache
def _load_config(extra_files: tuple[str, ...]) -> FeedConfig:
    merged: dict = {}
    for source, data in layered_yaml(FEEDS_FILE, extra_files):
        if not isinstance(data, dict):
            raise DataFileError(f"{source}: expected a mapping")
        kinds = {**merged.get("kinds", {}), **(data.get("kinds") or {})}
        merged = {**merged, **data, "kinds": kinds}
    return FeedConfig(int(merged["max_entries"]), merged["language"], merged["author"], merged["kinds"])


def feed_ids(store: ArticleStore, base_url: str, authority: str | None = None) -> FeedIds:
    """The ids' authority and date as the store fixed them at the first build: *authority*
    (``FEED_ID_AUTHORITY``), else the host of *base_url* (``FEEDS_BASE_URL``); today's date."""
    default = authority or (urlsplit(base_url).hostname or "")
    if not (DNS_NAME.match(default) or EMAIL.match(default)):
        raise ValueError(
            f"{default!r} cannot be the authority of the feeds' tag URIs (RFC 4151 wants a domain name "
            "or an e-mail address): set FEED_ID_AUTHORITY to a domain or address you own"
        )
    recorded = store.fixed_value(AUTHORITY_KEY, default.lower())
    date = store.fixed_value(DATE_KEY, datetime.now(SHANGHAI).date().isoformat())
    return FeedIds(recorded, date)


def topic_label(topic: Topic, articles: list[Article]) -> str:
    """A topic's readable name: the initiative's zh-Hans name as tagged, else the tag itself."""
    if topic.kind == "initiative":
        for article in articles:
            for initiative in article.initiatives:
                if initiative["id"] == topic.value and initiative.get("name"):
                    return initiative["name"]
    return topic.value


def render_feed(
    topic: Topic, entries: list[StoredArticle], config: FeedConfig, base_url: str, ids: FeedIds
) -> bytes:
    """The Atom document of *topic* with *entries* (newest first)."""
    path = topic.path(config)
    label = topic_label(topic, [entry.article for entry in entries])
    feed = FeedGenerator()
    feed.id(ids.feed(topic))
    feed.title(config.kinds[topic.kind]["title"].format(label=label))
    feed.link(href=base_url.rstrip("/") + "/" + quote(path), rel="self")
    feed.language(config.language)
    feed.author({"name": config.author})
    feed.updated(max((entry.updated for entry in entries), default=EMPTY_FEED_UPDATED))
    for entry in entries:
        add_entry(feed, entry, ids)
    return feed.atom_str(pretty=True)


def add_entry(feed: FeedGenerator, stored: StoredArticle, ids: FeedIds) -> None:
    article = stored.article
    entry = feed.add_entry(order="append")
    entry.id(ids.entry(article))
    entry.title(article.title or article.body[:30])
    entry.link(href=article.url, rel="alternate")
    entry.published((article.published or stored.first_seen).astimezone(SHANGHAI))
    entry.updated(stored.updated.astimezone(SHANGHAI))
    for name in article.reporters or ([article.outlet] if article.outlet else []):
        entry.author({"name": name})
    entry.content(article.body_html, type="html")
    for kind, values in (("city", article.cities), ("county", article.counties)):
        for value in values:
            entry.category(term=value, scheme=CATEGORY_SCHEME + kind, label=value)
    for initiative in article.initiatives:
        entry.category(
            term=initiative["id"],
            scheme=CATEGORY_SCHEME + "initiative",
            label=initiative.get("name") or initiative["id"],
        )


def build_feeds(
    store: ArticleStore,
    out_dir: Path,
    base_url: str,
    config: FeedConfig | None = None,
    *,
    every: bool = False,
    authority: str | None = None,
) -> dict[Path, bool]:
    """Rebuild the feeds that are behind the store (*every*: all of them) into *out_dir*, and record
    what they were built from; maps each feed file to whether it was rewritten."""
    config = config or load_config()
    topics = store.topics(config.kinds, stale_only=not every)
    if not topics:
        return {}
    ids = feed_ids(store, base_url, authority)
    written: dict[Path, bool] = {}
    for state in sorted(topics, key=lambda t: (t.kind, t.value)):
        topic = Topic(state.kind, state.value)
        kind, value = (None, None) if topic.kind == "all" else (topic.kind, topic.value)
        entries = store.latest(config.max_entries, kind, value)
        path = out_dir / topic.path(config)
        written[path] = write_if_changed(path, render_feed(topic, entries, config, base_url, ids))
        if written[path]:
            logger.info("feed %s rewritten (%d entries)", path, len(entries))
    if any(written.values()):
        write_if_changed(out_dir / INDEX_FILE, render_index(out_dir, base_url))
    store.mark_built(topics)
    return written


def render_index(out_dir: Path, base_url: str) -> bytes:
    """An OPML list of every feed in *out_dir*, so a reader subscribes to them all in one import."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = "地方新闻 regional-news-monitor feeds"
    body = etree.SubElement(opml, "body")
    for path in sorted(out_dir.rglob("*.xml")):
        relative = path.relative_to(out_dir).as_posix()
        title = etree.parse(str(path)).findtext("{http://www.w3.org/2005/Atom}title") or relative
        etree.SubElement(
            body,
            "outline",
            type="rss",
            text=title,
            title=title,
            xmlUrl=base_url.rstrip("/") + "/" + quote(relative),
        )
    return etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True)
