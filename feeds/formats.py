"""A built Atom feed read back, narrowed by a reader's query, and written as Atom, RSS 2.0 or JSON Feed.

The query parameters are RSSHub's (https://docs.rsshub.app/guide/parameters): ``filter`` (title or
description), ``filter_title``, ``filter_description``, ``filter_author``, ``filter_time`` (seconds
back), ``filterout``, ``filterout_title``, ``filterout_description``, ``filter_case_sensitive``
(default true), ``limit``, ``opencc=s2t|t2s``, plus ``city``, ``initiative`` and ``site`` (an
entry's categories) and ``format=atom|rss|json``. Patterns are RE2 expressions (as RSSHub's):
matching takes linear time whatever a reader sends. They match the simplified text, so 海丝 also
finds 海絲.

JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) is written from the same entries:
``version``, ``title``, ``home_page_url``, ``feed_url``, ``description``, ``language``, ``authors``
and ``items`` with ``id``, ``url``, ``title``, ``summary``, ``content_html``, ``date_published``,
``date_modified``, ``authors``, ``tags`` (the categories' readable names) and ``language``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

import re2
from feedgen.feed import FeedGenerator
from lxml import etree

from core.chinese import to_simplified, to_traditional
from core.tags import TagVocabulary
from feeds.entries import CATEGORY_SCHEME, ENTRY_START, XML_LANG, entry_fragments

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
FORMATS = {"atom": "xml", "rss": "rss", "json": "json"}
"""``format=`` values and the file extension each stands for."""
CONTENT_TYPES = {
    "xml": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
PATTERN_FIELDS = {
    "filter": ("title", "description"),
    "filter_title": ("title",),
    "filter_description": ("description",),
    "filter_author": ("author",),
    "filterout": ("title", "description"),
    "filterout_title": ("title",),
    "filterout_description": ("description",),
}
"""The pattern parameters and the fields of an entry each looks in; a ``filterout`` pattern that is
found leaves the entry out, any other that is not found does."""
PATTERN_PARAMETERS = tuple(PATTERN_FIELDS)
TAG_PARAMETERS = ("city", "initiative", "site")
PARAMETERS = (
    *PATTERN_PARAMETERS,
    *TAG_PARAMETERS,
    "filter_time",
    "filter_case_sensitive",
    "limit",
    "opencc",
    "format",
)
MAX_PATTERN = 500
CONVERTERS: dict[str, Callable[[str], str]] = {"s2t": to_traditional, "t2s": to_simplified}
TEXT_ELEMENTS = (A + "title", A + "summary", A + "content", A + "subtitle")


class QueryError(ValueError):
    """A query parameter that cannot be used, said in one line."""


@dataclass
class Entry:
    """One entry of a built feed, as its element and the fields a query looks at."""

    element: etree._Element
    fragment: bytes = b""
    """The entry's bytes as the feed file holds them (empty when they could not be told apart)."""

    def text(self, name: str) -> str:
        return self.element.findtext(A + name) or ""

    @cached_property
    def title(self) -> str:
        return self.text("title")

    @cached_property
    def description(self) -> str:
        return f"{self.text('summary')}\n{strip_tags(self.text('content'))}"

    @cached_property
    def authors(self) -> list[str]:
        return [name.text or "" for name in self.element.iterfind(f"{A}author/{A}name")]

    @cached_property
    def categories(self) -> list[tuple[str, str, str]]:
        """(kind, term, label) of each category."""
        found = []
        for category in self.element.iterfind(A + "category"):
            kind = (category.get("scheme") or "").removeprefix(CATEGORY_SCHEME)
            found.append(
                (kind, category.get("term") or "", category.get("label") or category.get("term") or "")
            )
        return found

    @cached_property
    def link(self) -> str:
        link = self.element.find(A + "link")
        return link.get("href") if link is not None else ""

    def time(self, name: str) -> datetime | None:
        text = self.text(name)
        return datetime.fromisoformat(text) if text else None

    @cached_property
    def searchable(self) -> dict[str, str]:
        return {
            "title": to_simplified(self.title),
            "description": to_simplified(self.description),
            "author": to_simplified(" ".join(self.authors)),
        }


def strip_tags(html: str) -> str:
    if not html.strip():
        return ""
    return etree.HTML(f"<div>{html}</div>").xpath("string()") if "<" in html else html


@dataclass
class FeedDocument:
    """A built feed file: its bytes and, on demand, its tree and entries."""

    data: bytes

    @cached_property
    def root(self) -> etree._Element:
        return etree.fromstring(self.data, etree.XMLParser(resolve_entities=False, no_network=True))

    @cached_property
    def entries(self) -> list[Entry]:
        elements = self.root.findall(A + "entry")
        fragments = entry_fragments(self.data)
        if len(fragments) != len(elements):
            fragments = [b""] * len(elements)
        return [Entry(element, fragment) for element, fragment in zip(elements, fragments, strict=True)]

    def without_entries(self) -> tuple[bytes, bytes]:
        """The bytes of the file before its first entry, and from the end of its last."""
        start = self.data.find(ENTRY_START)
        end = self.data.rindex(b"</feed>")
        return self.data[: end if start < 0 else start], self.data[end:]

    def text(self, name: str) -> str:
        return self.root.findtext(A + name) or ""


@dataclass(frozen=True)
class FeedQuery:
    """A reader's query, checked; :meth:`apply` keeps the entries it selects. Parameters it does not
    know are ignored, as RSSHub ignores them (readers add their own, such as cache busters)."""

    patterns: tuple[tuple[str, str], ...] = ()
    """(parameter, pattern) pairs, in a fixed order."""
    tags: tuple[tuple[str, str], ...] = ()
    seconds: int | None = None
    case_sensitive: bool = True
    limit: int | None = None
    opencc: str | None = None
    format: str | None = None
    compiled: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def selects(self) -> bool:
        return bool(self.patterns or self.tags or self.seconds is not None or self.limit is not None)

    @classmethod
    def parse(
        cls, args: Mapping[str, list[str]], vocabulary: TagVocabulary | None = None, max_limit: int = 1000
    ) -> FeedQuery:
        value = {name: values[-1] for name, values in args.items() if name in PARAMETERS}
        case = value.get("filter_case_sensitive", "true").lower()
        if case not in ("true", "false", "1", "0"):
            raise QueryError("filter_case_sensitive must be true or false")
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = case in ("true", "1")
        compiled = {}
        for name in PATTERN_PARAMETERS:
            if name not in value:
                continue
            pattern = to_simplified(value[name])
            if len(pattern) > MAX_PATTERN:
                raise QueryError(f"{name}: a pattern of at most {MAX_PATTERN} characters, please")
            try:
                compiled[name] = re2.compile(pattern, options)
            except re2.error as error:
                reason = error.args[0].decode() if isinstance(error.args[0], bytes) else str(error)
                raise QueryError(
                    f"{name}: not a regular expression RE2 accepts ({reason}): {value[name]!r}"
                ) from None
        tags = []
        for kind in TAG_PARAMETERS:
            if kind in value:
                wanted = value[kind] if kind in ("site", "initiative") else to_simplified(value[kind])
                if vocabulary is not None and not vocabulary.knows(kind, wanted):
                    raise QueryError(f"unknown {kind} {value[kind]!r}")
                tags.append((kind, wanted))
        return cls(
            patterns=tuple((name, value[name]) for name in PATTERN_PARAMETERS if name in value),
            tags=tuple(tags),
            seconds=_whole(value, "filter_time", 0, None),
            case_sensitive=options.case_sensitive,
            limit=_whole(value, "limit", 1, max_limit),
            opencc=_choice(value, "opencc", CONVERTERS),
            format=_choice(value, "format", FORMATS),
            compiled=compiled,
        )

    def key(self) -> tuple:
        return (self.patterns, self.tags, self.seconds, self.case_sensitive, self.limit, self.opencc)

    def apply(self, entries: list[Entry], now: datetime) -> list[Entry]:
        kept = [entry for entry in entries if self.keeps(entry, now)]
        return kept[: self.limit] if self.limit is not None else kept

    def keeps(self, entry: Entry, now: datetime) -> bool:
        text = entry.searchable
        for name, pattern in self.compiled.items():
            found = any(pattern.search(text[field]) for field in PATTERN_FIELDS[name])
            if found == name.startswith("filterout"):
                return False
        categories = {(kind, term) for kind, term, _ in entry.categories}
        if not all(tag in categories for tag in self.tags):
            return False
        if self.seconds is not None:
            when = entry.time("published") or entry.time("updated")
            if when is None or when < now - timedelta(seconds=self.seconds):
                return False
        return True


def _whole(value: Mapping[str, str], name: str, low: int, high: int | None) -> int | None:
    if name not in value:
        return None
    text = value[name]
    if not text.isascii() or not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        upper = f" and {high}" if high is not None else ""
        raise QueryError(f"{name} must be a whole number between {low}{upper or ' or more'}, not {text!r}")
    return int(text)


def _choice(value: Mapping[str, str], name: str, choices: Mapping[str, object]) -> str | None:
    if name not in value:
        return None
    if value[name] not in choices:
        raise QueryError(f"{name} must be one of {', '.join(choices)}, not {value[name]!r}")
    return value[name]


def converted(element: etree._Element, convert: Callable[[str], str]) -> etree._Element:
    """A copy of *element* with the text of its titles, summaries, contents and labels converted."""
    element = copy.deepcopy(element)
    for node in element.iter(*TEXT_ELEMENTS):
        if node.text:
            node.text = convert(node.text)
    for category in element.iter(A + "category"):
        if category.get("label"):
            category.set("label", convert(category.get("label")))
    return element


def render_atom(document: FeedDocument, entries: list[Entry], opencc: str | None) -> bytes:
    """The feed *document* with only *entries*, their text converted by *opencc* if asked (else the
    entries' bytes as the file holds them)."""
    if not opencc and all(entry.fragment for entry in entries):
        head, tail = document.without_entries()
        return head + b"".join(entry.fragment for entry in entries) + tail
    convert = CONVERTERS[opencc] if opencc else None
    root = copy.copy(document.root)
    for child in list(root):
        if child.tag == A + "entry":
            root.remove(child)
    if convert:
        root = converted(root, convert)
    for entry in entries:
        root.append(converted(entry.element, convert) if convert else copy.deepcopy(entry.element))
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def feed_links(document: FeedDocument) -> dict[str, str]:
    return {link.get("rel", "alternate"): link.get("href", "") for link in document.root.iterfind(A + "link")}


def render_rss(document: FeedDocument, entries: list[Entry], opencc: str | None, self_url: str) -> bytes:
    """RSS 2.0 (feedgen) of *entries* under the header of *document*."""
    convert = CONVERTERS[opencc] if opencc else (lambda text: text)
    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.title(convert(document.text("title")))
    feed.description(convert(document.text("subtitle") or document.text("title")))
    feed.link(href=feed_links(document).get("alternate", self_url), rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language(document.root.get(XML_LANG) or "zh-CN")
    feed.lastBuildDate(datetime.fromisoformat(document.text("updated")))
    for entry in entries:
        item = feed.add_entry(order="append")
        item.guid(entry.text("id"), permalink=False)
        item.title(convert(entry.title))
        item.link(href=entry.link)
        item.description(convert(entry.text("summary")))
        item.content(convert(entry.text("content")), type="CDATA")
        item.pubDate(entry.time("published") or entry.time("updated"))
        for name in entry.authors:
            item.dc.dc_creator(name)
        for kind, _, label in entry.categories:
            item.category(term=convert(label), scheme=CATEGORY_SCHEME + kind)
    return feed.rss_str(pretty=True)


def render_json(document: FeedDocument, entries: list[Entry], opencc: str | None, self_url: str) -> bytes:
    """JSON Feed 1.1 of *entries* under the header of *document*."""
    convert = CONVERTERS[opencc] if opencc else (lambda text: text)
    author = document.root.findtext(f"{A}author/{A}name")
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": convert(document.text("title")),
        "home_page_url": feed_links(document).get("alternate"),
        "feed_url": self_url,
        "description": convert(document.text("subtitle")),
        "language": document.root.get(XML_LANG) or "zh-CN",
        "authors": [{"name": author}] if author else [],
        "items": [
            {
                "id": entry.text("id"),
                "url": entry.link,
                "title": convert(entry.title),
                "summary": convert(entry.text("summary")),
                "content_html": convert(entry.text("content")),
                "date_published": entry.text("published") or None,
                "date_modified": entry.text("updated"),
                "authors": [{"name": name} for name in entry.authors],
                "tags": [convert(label) for _, _, label in entry.categories],
                **({"language": entry.element.get(XML_LANG)} if entry.element.get(XML_LANG) else {}),
            }
            for entry in entries
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
