"""Atom feeds from the store: one for all articles, one per city, one per initiative.

A feed is rebuilt only when an article it holds (or held) changed, rewritten only when its bytes
differ, and replaced atomically. Everything in a feed derives from stored data — its ``updated``
is the newest entry's — so rebuilding an unchanged feed yields the same bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

import yaml
from feedgen.feed import FeedGenerator
from lxml import etree

from crawler.dates import SHANGHAI
from crawler.items import Article
from feeds.files import write_if_changed
from processors.database import ArticleStore, StoredArticle

logger = logging.getLogger(__name__)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "feeds.yaml"
FEED_ID_AUTHORITY = "tag:regional-news-monitor,2026:feed"
CATEGORY_SCHEME = "https://regional-news-monitor.invalid/tags/"
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
INDEX_FILE = "feeds.opml"


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


@cache
def load_config(path: Path = DATA_FILE) -> FeedConfig:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FeedConfig(int(data["max_entries"]), data["language"], data["author"], data["kinds"])


def topics_of(tags: set[tuple[str, str]] | frozenset[tuple[str, str]], config: FeedConfig) -> set[Topic]:
    """The feeds an article with these (kind, value) tags belongs to."""
    return {Topic("all")} | {Topic(kind, value) for kind, value in tags if kind in config.kinds}


def topic_label(topic: Topic, articles: list[Article]) -> str:
    """A topic's readable name: the initiative's zh-Hans name as tagged, else the tag itself."""
    if topic.kind == "initiative":
        for article in articles:
            for initiative in article.initiatives:
                if initiative["id"] == topic.value and initiative.get("name"):
                    return initiative["name"]
    return topic.value


def render_feed(topic: Topic, entries: list[StoredArticle], config: FeedConfig, base_url: str) -> bytes:
    """The Atom document of *topic* with *entries* (newest first)."""
    path = topic.path(config)
    label = topic_label(topic, [entry.article for entry in entries])
    feed = FeedGenerator()
    feed.id(f"{FEED_ID_AUTHORITY}/{path}")
    feed.title(config.kinds[topic.kind]["title"].format(label=label))
    feed.link(href=base_url.rstrip("/") + "/" + quote(path), rel="self")
    feed.language(config.language)
    feed.author({"name": config.author})
    feed.updated(max((entry.updated for entry in entries), default=EMPTY_FEED_UPDATED))
    for entry in entries:
        add_entry(feed, entry)
    return feed.atom_str(pretty=True)


def add_entry(feed: FeedGenerator, stored: StoredArticle) -> None:
    article = stored.article
    entry = feed.add_entry(order="append")
    entry.id(article.id)
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


def all_topics(store: ArticleStore, config: FeedConfig) -> set[Topic]:
    """Every feed the stored articles call for."""
    return {Topic("all")} | {
        Topic(kind, value) for kind in config.kinds if kind != "all" for value in store.tag_values(kind)
    }


def build_feeds(
    store: ArticleStore, topics: set[Topic], out_dir: Path, base_url: str, config: FeedConfig | None = None
) -> dict[Path, bool]:
    """Rebuild the feeds of *topics* into *out_dir*; maps each feed file to whether it was rewritten."""
    config = config or load_config()
    written: dict[Path, bool] = {}
    for topic in sorted(topics):
        kind, value = (None, None) if topic.kind == "all" else (topic.kind, topic.value)
        entries = store.latest(config.max_entries, kind, value)
        path = out_dir / topic.path(config)
        written[path] = write_if_changed(path, render_feed(topic, entries, config, base_url))
        if written[path]:
            logger.info("feed %s rewritten (%d entries)", path, len(entries))
    if any(written.values()):
        write_if_changed(out_dir / INDEX_FILE, render_index(out_dir, base_url))
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
