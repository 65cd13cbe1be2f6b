"""Atom feeds from the store: all articles, each site, city, province and initiative, and custom topics.

Which feeds are out of date is read from the store: each topic's version rises with every change to
its articles, and a build records the version it wrote (``storage.schema.TopicRow``). A crash
between storing an article and rebuilding its feeds therefore heals on the next build. A custom
topic is rebuilt when a topic it draws from is (the values of its first ``include`` kind, else all).

A feed is its header and the rendered entries of its newest articles. A rebuild reads the entries
the feed file already holds (by id and ``updated``) and renders only the articles it lacks, each
once per build however many feeds show it; a change of what the entries look like (the
configuration, the labels, the base URL, this module's :data:`RENDERING`) is noticed by a
fingerprint kept in the store and rebuilds everything from scratch. A feed is rewritten only when
its bytes differ, and replaced atomically; its ``updated`` is its newest entry's, so rebuilding an
unchanged feed yields the same bytes. The OPML file is rewritten only when the set of feeds changes.

Feed and entry ids are tag URIs (RFC 4151) under the deployer's authority, fixed in the store at
the first build: ``tag:feeds.example.org,2026-11-30:qzwb/5213417``.

A build survives what it cannot render: an article that will not render is left out of its feeds,
a feed that cannot be written is logged with its reason and left for the next build (its topic is
not marked built), and the other feeds are written (:attr:`Built.failed`). Builds of one folder take
turns (a lock held by the process, :func:`core.files.exclusive_writer`), and each first removes the
temporary files a killed build left; a feed whose file is missing is rebuilt, whatever the store says.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from core.dates import SHANGHAI
from core.errors import reason
from core.files import FileBatch, exclusive_writer
from core.sites import load_sites
from core.tags import TagVocabulary
from core.xml import xml_safe
from feeds.catalog import MONITOR_KIND, FeedInfo, feed_url, read_catalogue, write_catalogue
from feeds.entries import ENTRY_MAX_CHARS, entry_title, render_story, rendered_entries
from feeds.stories import one_per_story
from feeds.topics import CUSTOM, FeedConfig, Topic, is_safe_value, load_config
from storage.store import ArticleStore, EntryHead, Story, TopicState

logger = logging.getLogger(__name__)

RENDERING = "4"
"""Raise when entries or feed headers are rendered differently: every feed is then rebuilt."""
FINGERPRINT_KEY = "feeds_fingerprint"
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
AUTHORITY_KEY, DATE_KEY = "feed_id_authority", "feed_id_date"
STORY_READ_AHEAD = 8
"""How far past a feed's size its articles are read when copies of one story fill it (a bound)."""
CHART_DAYS = 30
LOAD_BATCH = 500
LOCK_FILE = ".build.lock"
"""Held by the process building the feeds of a folder (or writing the monitor's health feed)."""
DNS_NAME = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$"
)
"""RFC 4151's ``DNSname``: dot-separated components of letters, digits and inner hyphens."""
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@" + DNS_NAME.pattern[1:])
SPECIFIC_SAFE = "/:@-._~!$&'()*+,;="
"""What a tag URI's specific part may hold unescaped (RFC 3986 ``pchar`` and ``/``)."""
ALL = Topic("all")


@dataclass(frozen=True)
class FeedIds:
    """Mints the feeds' and entries' tag URIs: ``tag:<authority>,<date>:<specific>``."""

    authority: str
    date: str

    def feed(self, topic: Topic) -> str:
        return self._uri("feeds/" + (topic.kind if topic.kind == "all" else f"{topic.kind}/{topic.value}"))

    def entry(self, article_id: str) -> str:
        return self._uri(article_id)

    def entry_key(self, article_id: str, updated: datetime) -> tuple[str, str]:
        """An entry's id and its ``updated`` as an entry says it: one rendering of the entry."""
        return self.entry(article_id), updated.astimezone(SHANGHAI).isoformat()

    def _uri(self, specific: str) -> str:
        return f"tag:{self.authority},{self.date}:{quote(specific, safe=SPECIFIC_SAFE)}"


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


def read_if_there(path: Path) -> bytes | None:
    """The bytes of *path*, None if there is no such file (one system call fewer than asking first)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def feed_updated(times: Iterable[datetime]) -> datetime:
    """A feed's ``updated``, from its entries' *times*: the newest (an empty feed's is fixed, so its
    bytes never change), in Shanghai time."""
    return max(times, default=EMPTY_FEED_UPDATED).astimezone(SHANGHAI)


class Built(dict[Path, bool]):
    """What a build did: each feed file it rebuilt and whether it was rewritten (its bytes changed);
    :attr:`failed`: each feed file it could not write, and why."""

    def __init__(self) -> None:
        super().__init__()
        self.failed: dict[Path, str] = {}


@dataclass
class Entries:
    """The rendered entries of one build: each article is rendered once however many feeds show
    it, and an entry a feed file already holds is taken from there."""

    store: ArticleStore
    ids: FeedIds
    label: Callable[[str, str], str]
    max_chars: int = ENTRY_MAX_CHARS
    rendered: dict[tuple[str, str], bytes] = field(default_factory=dict)
    keys: dict[EntryHead, tuple[str, str]] = field(default_factory=dict)

    def of(
        self, heads: list[EntryHead], old: Mapping[tuple[str, str], bytes]
    ) -> tuple[list[EntryHead], list[bytes]]:
        """The rendered entries of *heads*: from the feed's *old* entries, else those rendered in
        this build, else rendered now; with the heads they are of (an article that would not
        render is left out, logged)."""
        keys = [self.key(head) for head in heads]
        missing = [
            head.id
            for head, key in zip(heads, keys, strict=True)
            if key not in old and key not in self.rendered
        ]
        for first in range(0, len(missing), LOAD_BATCH):
            for story in self.store.stories(missing[first : first + LOAD_BATCH]).values():
                self.render(story)
        found = [
            (head, old.get(key) or self.rendered.get(key)) for head, key in zip(heads, keys, strict=True)
        ]
        return [head for head, fragment in found if fragment], [fragment for _, fragment in found if fragment]

    def key(self, head: EntryHead) -> tuple[str, str]:
        """What identifies one rendering of an entry: its id and ``updated`` as written (an article
        is in several feeds: computed once)."""
        key = self.keys.get(head)
        if key is None:
            key = self.keys[head] = self.ids.entry_key(head.id, head.updated)
        return key

    def render(self, story: Story) -> None:
        key = self.ids.entry_key(story.id, story.updated)
        try:
            self.rendered[key] = render_story(story, key[0], self.label, self.max_chars)
        except Exception as error:  # one article never stops a build
            logger.error("article %s left out of the feeds: %s", story.id, reason(error))


@dataclass
class FeedBuilder:
    """Builds the feeds of one ``FEEDS_DIR`` (settings: :meth:`from_settings`)."""

    out_dir: Path
    base_url: str
    config: FeedConfig
    authority: str | None = None
    vocabulary: TagVocabulary | None = None
    intervals: Mapping[str, int] | None = None
    """Each site's crawl interval in seconds (``Cache-Control: max-age`` of its feeds)."""
    default_interval: int = 1800
    hub: str | None = None
    """The WebSub hub every feed names (``<link rel="hub">``), if any."""
    entry_max_chars: int = ENTRY_MAX_CHARS
    """An entry's content is cut to about this many characters and says so (``FEED_ENTRY_MAX_CHARS``)."""

    def build(
        self, store: ArticleStore, *, every: bool = False, stale: list[TopicState] | None = None
    ) -> Built:
        """Rebuild the feeds that are behind the store (*every*: all of them) or whose file is
        missing, and record what they were built from; maps each feed file to whether it was
        rewritten, and names those that could not be written (:attr:`Built.failed`). *stale*: the
        topics behind the store, when the caller has just read them (``store.topics(stale_only=True)``),
        so that the build does not read them again."""
        with exclusive_writer(self.out_dir, LOCK_FILE):
            return self._build(store, every, stale)

    def _build(self, store: ArticleStore, every: bool, stale: list[TopicState] | None) -> Built:
        fingerprint = self.fingerprint()
        catalogue = read_catalogue(self.out_dir)
        recorded = store.meta(FINGERPRINT_KEY)
        fresh = catalogue is None or recorded != fingerprint
        every = every or fresh
        states = store.topics() if every else self.behind(store, stale)
        written = Built()
        if not states:
            return written
        ids = feed_ids(store, self.base_url, self.authority)
        topics = self.topics_to_build(states, every)
        newest = self.heads(store, topics)
        daily = self.initiative_days(store)
        counts = {(state.kind, state.value): state.article_count for state in states}
        feeds = {
            path: info for path, info in (catalogue or {}).items() if not every or info.kind == MONITOR_KIND
        }  # the monitor's health feed is written by the monitor: a build from scratch keeps it listed
        entries = Entries(store, ids, self.label, self.entry_max_chars)
        failed: list[Topic] = []
        with FileBatch() as files:
            for topic in topics:
                target = self.out_dir / self.config.path(topic)
                try:
                    current = read_if_there(target)
                    old = rendered_entries(current) if current and not fresh else {}
                    heads, fragments = entries.of(newest.pop(topic), old)
                    data = self.render_feed(topic, heads, fragments, ids)
                except Exception as error:  # this feed only: the others are written
                    written.failed[target] = reason(error)
                    failed.append(topic)
                    path = target.relative_to(self.out_dir).as_posix()
                    if catalogue and path in catalogue:  # its old file stays, and stays listed
                        feeds[path] = catalogue[path]
                    logger.error("feed %s not written: %s", target, written.failed[target])
                    continue
                written[target] = files.write_if_changed(target, data, current)
                if written[target]:
                    logger.info("feed %s rewritten (%d entries)", target, len(heads))
                feeds[target.relative_to(self.out_dir).as_posix()] = self.info(
                    topic, heads, fragments, counts.get((topic.kind, topic.value))
                )
            for info in feeds.values():
                if info.kind == "initiative":
                    feeds[info.path] = replace(info, daily=daily.get(info.value, {}))
            write_catalogue(files, self.out_dir, feeds, self.base_url)
        store.mark_built(self.without_sources(states, failed))
        if recorded != fingerprint:
            store.set_meta(FINGERPRINT_KEY, fingerprint)
        return written

    def behind(self, store: ArticleStore, stale: list[TopicState] | None = None) -> list[TopicState]:
        """The topics whose feed is behind the store (*stale*, if the caller read them), and those
        whose feed file is missing (removed by hand, or never renamed into place)."""
        if stale is None:
            stale = store.topics(stale_only=True)
        known = {(state.kind, state.value) for state in stale}
        return stale + [
            state
            for state in store.topics(self.config.kinds)
            if (state.kind, state.value) not in known and self.missing(Topic(state.kind, state.value))
        ]

    def missing(self, topic: Topic) -> bool:
        """Whether the feed of *topic* should be there and is not."""
        if topic.kind != "all" and not is_safe_value(topic.value):
            return False
        return not (self.out_dir / self.config.path(topic)).exists()

    def sources(self, name: str) -> list[Topic]:
        """The tag topics custom topic *name* draws from: the values of its first ``include`` kind,
        else all articles."""
        include = self.config.custom[name].include
        return [Topic(kind, value) for kind, values in list(include.items())[:1] for value in values] or [ALL]

    def without_sources(self, states: list[TopicState], failed: list[Topic]) -> list[TopicState]:
        """*states* but those of the *failed* feeds (a custom topic's: those it draws from), so the
        next build tries them again."""
        unbuilt = set()
        for topic in failed:
            unbuilt.update(self.sources(topic.value) if topic.kind == CUSTOM else [topic])
        return [state for state in states if Topic(state.kind, state.value) not in unbuilt]

    def fingerprint(self) -> str:
        """What the rendered feeds depend on besides the articles."""
        names = sorted(self.vocabulary.names.items()) if self.vocabulary else []
        provinces = sorted(self.vocabulary.province_of.items()) if self.vocabulary else []
        parts = (RENDERING, self.config, self.base_url, names, provinces, self.hub, self.entry_max_chars)
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def topics_to_build(self, states: list[TopicState], every: bool) -> list[Topic]:
        """The feeds of the tag topics in *states* and the custom topics that draw on them."""
        stale = {Topic(state.kind, state.value) for state in states}
        topics = set()
        for topic in stale:
            if topic.kind not in self.config.kinds:
                continue
            if topic.kind != "all" and not is_safe_value(topic.value):
                logger.warning("no feed for %s %r: the value cannot be a file name", topic.kind, topic.value)
                continue
            topics.add(topic)
        for name in self.config.custom:
            topic = Topic(CUSTOM, name)
            if every or any(source in stale for source in self.sources(name)) or self.missing(topic):
                topics.add(topic)
        return sorted(topics)

    def heads(self, store: ArticleStore, topics: list[Topic]) -> dict[Topic, list[EntryHead]]:
        """The newest entries of each of *topics*, one per story, as many as a feed shows. A quarter
        more articles than that are read, for the copies of one story a feed's newest articles may
        hold; a topic that still has too few stories is read again twice as far, up to
        :data:`STORY_READ_AHEAD` times the feed's size."""
        limit = self.config.max_entries
        read = limit + limit // 4
        found: dict[Topic, list[EntryHead]] = {}
        pending = topics
        while True:
            newest = self.newest(store, pending, read)
            stories = store.story_heads({head.id for heads in newest.values() for head in heads})
            for topic, heads in newest.items():
                found[topic] = one_per_story(heads, stories)[:limit]
            pending = [topic for topic in pending if len(found[topic]) < limit and len(newest[topic]) == read]
            if not pending or read >= limit * STORY_READ_AHEAD:
                return found
            read *= 2

    def newest(self, store: ArticleStore, topics: list[Topic], limit: int) -> dict[Topic, list[EntryHead]]:
        """The newest *limit* articles of each of *topics* (the tag topics' read in one go)."""
        tags = [topic for topic in topics if topic.kind != CUSTOM]
        found = store.heads(limit, [(topic.kind, topic.value) for topic in tags])
        heads = {topic: found[topic.kind, topic.value] for topic in tags}
        for topic in topics:
            if topic.kind == CUSTOM:
                custom = self.config.custom[topic.value]
                accept = custom.accepts_text if custom.needs_text else None
                heads[topic] = store.matching_heads(limit, custom.include, custom.exclude, accept)
        return heads

    def url(self, target: Path) -> str:
        """The public URL of the feed file *target*."""
        return feed_url(self.base_url, target.relative_to(self.out_dir).as_posix())

    def rewritten_urls(self, written: Mapping[Path, bool]) -> list[str]:
        """The public URLs of the feed files a build rewrote (what the WebSub hub is told of)."""
        return [self.url(target) for target, rewritten in written.items() if rewritten]

    def label(self, kind: str, value: str) -> str:
        return self.vocabulary.name(kind, value) if self.vocabulary else value

    def render_feed(
        self, topic: Topic, heads: list[EntryHead], fragments: list[bytes], ids: FeedIds
    ) -> bytes:
        """The Atom document of *topic*: its header (feedgen) and the rendered entries."""
        path = self.config.path(topic)
        feed = FeedGenerator()
        feed.id(ids.feed(topic))
        title = xml_safe(self.config.title(topic, self.vocabulary))
        feed.title(title)
        feed.subtitle(xml_safe(self.config.subtitle(topic, self.vocabulary)) or title)
        feed.link(href=feed_url(self.base_url, path), rel="self", type="application/atom+xml")
        feed.link(
            href=feed_url(self.base_url, path.removesuffix(".xml") + ".html"),
            rel="alternate",
            type="text/html",
        )
        if self.hub:
            feed.link(href=self.hub, rel="hub")
        feed.language(self.config.language)
        feed.author({"name": self.config.author})
        feed.updated(feed_updated(head.updated for head in heads))
        header = feed.atom_str(pretty=True)
        end = header.rindex(b"</feed>")
        return b"".join((header[:end], *fragments, header[end:]))

    def info(
        self, topic: Topic, heads: list[EntryHead], fragments: list[bytes], articles: int | None
    ) -> FeedInfo:
        kind = self.config.kind(topic)
        province = self.vocabulary.province_of.get(topic.value, "") if self.vocabulary else ""
        intervals = self.intervals or {}
        return FeedInfo(
            path=self.config.path(topic),
            kind=topic.kind,
            value=topic.value,
            title=self.config.title(topic, self.vocabulary),
            subtitle=self.config.subtitle(topic, self.vocabulary),
            group=kind.group,
            subgroup=province if topic.kind == "city" else "",
            articles=len(heads) if articles is None else articles,
            entries=len(heads),
            updated=feed_updated(head.updated for head in heads).isoformat(),
            newest_title=entry_title(fragments[0]) if fragments else "",
            max_age=min(
                (intervals.get(h.site, self.default_interval) for h in heads), default=self.default_interval
            ),
        )

    @staticmethod
    def initiative_days(store: ArticleStore) -> dict[str, dict[str, int]]:
        since = datetime.now(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=CHART_DAYS
        )
        return {
            value: {day.isoformat(): count for day, count in sorted(days.items())}
            for value, days in store.daily_counts("initiative", since).items()
        }

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> FeedBuilder:
        """``FEEDS_DIR``, ``FEEDS_BASE_URL``, ``FEEDS_FILES``, ``FEED_ID_AUTHORITY``,
        ``FEEDS_TAG_VOCABULARY``, the sites' ``interval`` (``SITES_FILES``), ``MONITOR_INTERVAL`` and
        ``WEBSUB_HUB``."""
        sites = load_sites(settings.getlist("SITES_FILES"))
        return cls(
            out_dir=Path(settings["FEEDS_DIR"]),
            base_url=build_base_url(settings),
            config=load_config(settings.getlist("FEEDS_FILES")),
            authority=settings.get("FEED_ID_AUTHORITY") or None,
            vocabulary=tag_vocabulary(settings),
            intervals={key: site.interval for key, site in sites.items() if site.interval},
            default_interval=settings.getint("MONITOR_INTERVAL"),
            hub=settings.get("WEBSUB_HUB") or None,
            entry_max_chars=settings.getint("FEED_ENTRY_MAX_CHARS", ENTRY_MAX_CHARS),
        )


DEFAULT_BASE_URL = "http://127.0.0.1:8080/"
"""The URL the feed files name when ``FEEDS_BASE_URL`` is unset (the server then rewrites the
links it serves to the address it was reached at)."""


def build_base_url(settings: BaseSettings) -> str:
    return settings.get("FEEDS_BASE_URL") or DEFAULT_BASE_URL


def tag_vocabulary(settings: BaseSettings) -> TagVocabulary | None:
    """The vocabulary of the function ``FEEDS_TAG_VOCABULARY`` names (None: no such setting)."""
    loader = settings.get("FEEDS_TAG_VOCABULARY")
    return load_object(loader)(settings) if loader else None


def build_feeds(
    store: ArticleStore,
    out_dir: Path,
    base_url: str,
    config: FeedConfig | None = None,
    *,
    every: bool = False,
    authority: str | None = None,
    vocabulary: TagVocabulary | None = None,
) -> Built:
    """Rebuild the feeds that are behind the store (*every*: all of them) into *out_dir*."""
    builder = FeedBuilder(out_dir, base_url, config or load_config(), authority, vocabulary)
    return builder.build(store, every=every)
