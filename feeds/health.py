"""The ``monitor-health`` feed: what the monitor found wrong with the sites, and their recoveries.

Written by ``scrapy monitor`` from the health events in the store (``storage.runs``) whenever one
is added, and listed in the feeds' catalogue (so in the OPML file and on the web index) as a feed
of the kind ``monitor``, which builds from scratch keep listed. Its entries' ids are tag URIs under
the feeds' authority (``tag:feeds.example.org,2026-11-30:monitor-health/12``).
"""

from __future__ import annotations

from feedgen.feed import FeedGenerator

from core.dates import SHANGHAI
from core.files import FileBatch, exclusive_writer
from core.xml import xml_safe
from feeds.build import LOCK_FILE, FeedBuilder, FeedIds, feed_ids, feed_updated
from feeds.catalog import MONITOR_KIND, FeedInfo, feed_url, read_catalogue, write_catalogue
from feeds.topics import Topic
from storage.runs import HealthEvent, events
from storage.store import ArticleStore

HEALTH_FEED = "monitor-health.xml"
TITLE = "监测：各网站的抓取健康 (monitor-health)"
SUBTITLE = "scrapy monitor 发现的问题与恢复：连续没有文章、抽取比例骤降、列表页不再匹配、抓取失败"
GROUP = "监测"
ENTRIES = 100
STATE_LABELS = {"problem": "问题", "recovered": "已恢复"}


def write_health_feed(store: ArticleStore, builder: FeedBuilder, limit: int = ENTRIES) -> bool:
    """Write the health feed of the store's last *limit* events into the builder's folder and list
    it in the catalogue and the OPML file (in turn with the builds of that folder); whether the
    feed's bytes changed."""
    with exclusive_writer(builder.out_dir, LOCK_FILE):
        return _write_health_feed(store, builder, limit)


def _write_health_feed(store: ArticleStore, builder: FeedBuilder, limit: int) -> bool:
    found = events(store, limit)
    ids = feed_ids(store, builder.base_url, builder.authority)
    catalogue = read_catalogue(builder.out_dir) or {}
    info = health_info(found, builder.default_interval)
    catalogue[info.path] = info
    with FileBatch() as files:
        changed = files.write_if_changed(
            builder.out_dir / HEALTH_FEED, render_health_feed(found, ids, builder.base_url, builder.hub)
        )
        write_catalogue(files, builder.out_dir, catalogue, builder.base_url)
    return changed


def entry_title(event: HealthEvent) -> str:
    return f"{STATE_LABELS.get(event.state, event.state)} · {event.site}: {event.message}"


def render_health_feed(found: list[HealthEvent], ids: FeedIds, base_url: str, hub: str | None) -> bytes:
    """The Atom document of *found* (newest first)."""
    feed = FeedGenerator()
    feed.id(ids.feed(Topic(MONITOR_KIND, "health")))
    feed.title(TITLE)
    feed.subtitle(SUBTITLE)
    feed.link(href=feed_url(base_url, HEALTH_FEED), rel="self", type="application/atom+xml")
    feed.link(href=feed_url(base_url, HEALTH_FEED.removesuffix(".xml") + ".html"), rel="alternate")
    if hub:
        feed.link(href=hub, rel="hub")
    feed.language("zh-CN")
    feed.author({"name": "scrapy monitor"})
    feed.updated(feed_updated(event.time for event in found))
    for event in reversed(found):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(ids.entry(f"monitor-health/{event.id}"))
        entry.title(xml_safe(entry_title(event)))
        entry.updated(event.time.astimezone(SHANGHAI))
        entry.category(term=event.site, label=event.site)
        entry.category(term=event.check, label=event.check)
        entry.content(
            f"{xml_safe(event.message)}\n\nsite: {event.site}\ncheck: {event.check}\nstate: {event.state}\n"
            f"time: {event.time.astimezone(SHANGHAI).isoformat()}",
            type="text",
        )
    return feed.atom_str(pretty=True)


def health_info(found: list[HealthEvent], max_age: int) -> FeedInfo:
    return FeedInfo(
        path=HEALTH_FEED,
        kind=MONITOR_KIND,
        value="health",
        title=TITLE,
        subtitle=SUBTITLE,
        group=GROUP,
        articles=len(found),
        entries=len(found),
        updated=feed_updated(event.time for event in found).isoformat(),
        newest_title=entry_title(found[0]) if found else "",
        max_age=max_age,
    )
