"""What the feeds are: ``data/feeds.yaml`` (and ``FEEDS_FILES``) read into topics.

A *tag topic* is every article (``all``) or those with one tag (``city`` 泉州, ``site`` qzwb, …): one
per value the store holds, for each kind the configuration lists. A *custom topic* is a combination
a user defines under ``topics:``: for each kind it includes, an article must carry one of the values
listed; it must carry none of the values it excludes; keywords are matched in the article's
simplified title and text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from core.chinese import to_simplified
from core.data import DataFileError, layered_yaml
from core.items import Article
from core.tags import TAG_KINDS, TagVocabulary

FEEDS_FILE = "feeds.yaml"
CUSTOM = "topic"
"""The kind of the custom topics (their feeds are ``topic/<name>.xml``)."""
SELECTORS = {
    "sites": "site",
    "cities": "city",
    "counties": "county",
    "provinces": "province",
    "initiatives": "initiative",
    "keywords": "keyword",
}
"""The keys of a custom topic's ``include`` and ``exclude``, and the tag kind each names."""
TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UNSAFE_VALUE = re.compile(r"[/\\\x00-\x1f]|^\.|^$")
"""Tag values that cannot be a file name of their own (they are skipped, with a warning)."""


class TopicError(DataFileError):
    """A feed topic that cannot be built, with what is wrong in one line."""


@dataclass(frozen=True, order=True)
class Topic:
    """What one feed holds: every article (``all``), those with one tag (``city``, ``泉州``), or a
    custom topic (``topic``, its name)."""

    kind: str
    value: str = ""


@dataclass(frozen=True)
class KindConfig:
    title: str
    """The feed's title; ``{label}`` is the topic's readable name."""
    path: str
    """The feed's file under ``FEEDS_DIR``; ``{value}`` is the tag value."""
    subtitle: str = ""
    group: str = ""
    """The heading the feed is listed under (OPML, web index)."""


@dataclass(frozen=True)
class CustomTopic:
    name: str
    title: str
    subtitle: str
    include: Mapping[str, tuple[str, ...]]
    """Tag kind → values, one of which an article must carry (every kind must be met)."""
    exclude: Mapping[str, tuple[str, ...]]
    """Tag kind → values, none of which an article may carry."""
    keywords: tuple[str, ...] = ()
    """Simplified words of which the title or text must contain one."""
    excluded_keywords: tuple[str, ...] = ()

    def accepts_text(self, article: Article) -> bool:
        """Whether *article*'s text passes the keyword rules (tags are the store's to check)."""
        text = article.body_simplified or to_simplified(f"{article.title or ''}\n{article.body}")
        if self.keywords and not any(word in text for word in self.keywords):
            return False
        return not any(word in text for word in self.excluded_keywords)

    @property
    def needs_text(self) -> bool:
        return bool(self.keywords or self.excluded_keywords)


@dataclass(frozen=True)
class FeedConfig:
    max_entries: int
    language: str
    author: str
    kinds: Mapping[str, KindConfig]
    custom: Mapping[str, CustomTopic] = field(default_factory=dict)
    custom_kind: KindConfig = KindConfig("{label}", "topic/{value}.xml", group="自定义")

    def kind(self, topic: Topic) -> KindConfig:
        return self.custom_kind if topic.kind == CUSTOM else self.kinds[topic.kind]

    def path(self, topic: Topic) -> str:
        return self.kind(topic).path.format(value=topic.value)

    def label(self, topic: Topic, vocabulary: TagVocabulary | None) -> str:
        if topic.kind == CUSTOM:
            return self.custom[topic.value].title
        if vocabulary is None or topic.kind == "all":
            return topic.value
        return vocabulary.name(topic.kind, topic.value)

    def title(self, topic: Topic, vocabulary: TagVocabulary | None) -> str:
        return self.kind(topic).title.format(label=self.label(topic, vocabulary))

    def subtitle(self, topic: Topic, vocabulary: TagVocabulary | None) -> str:
        if topic.kind == CUSTOM:
            return self.custom[topic.value].subtitle
        return self.kind(topic).subtitle.format(label=self.label(topic, vocabulary))


def load_config(extra_files: Iterable[str | Path] = ()) -> FeedConfig:
    """``data/feeds.yaml`` with the files of ``FEEDS_FILES`` merged over it (kinds and topics by name)."""
    return _load_config(tuple(str(path) for path in extra_files))


@cache
def _load_config(extra_files: tuple[str, ...]) -> FeedConfig:
    merged: dict = {}
    sources: dict[str, str] = {}
    for source, data in layered_yaml(FEEDS_FILE, extra_files):
        if not isinstance(data, dict):
            raise DataFileError(f"{source}: expected a mapping")
        kinds = {**merged.get("kinds", {}), **(data.get("kinds") or {})}
        topics = {**merged.get("topics", {}), **(data.get("topics") or {})}
        sources |= {name: source for name in data.get("topics") or {}}
        merged = {**merged, **data, "kinds": kinds, "topics": topics}
    kinds = {}
    for name, entry in merged["kinds"].items():
        if name != "all" and name not in TAG_KINDS:
            raise DataFileError(
                f"{FEEDS_FILE}: kinds: {name!r} is no tag kind (known: all, {', '.join(TAG_KINDS)})"
            )
        kinds[name] = KindConfig(**entry)
    custom = {name: custom_topic(name, entry, sources[name]) for name, entry in merged["topics"].items()}
    return FeedConfig(int(merged["max_entries"]), merged["language"], merged["author"], kinds, custom)


def custom_topic(name: str, entry: object, source: str) -> CustomTopic:
    """The :class:`CustomTopic` of one ``topics:`` entry, or a :class:`TopicError` saying what is wrong."""

    def fail(problem: str) -> TopicError:
        return TopicError(f"{source}: topic {name!r}: {problem}")

    if not TOPIC_NAME.match(name):
        raise fail("a topic's name must be lower-case letters, digits and - (it names its feed file)")
    if not isinstance(entry, dict) or not entry.get("title"):
        raise fail("expected a mapping with a title")
    rules: dict[str, dict[str, tuple[str, ...]]] = {}
    for part in ("include", "exclude"):
        selectors = entry.get(part) or {}
        if not isinstance(selectors, dict):
            raise fail(f"{part}: expected a mapping of {', '.join(SELECTORS)}")
        if unknown := sorted(set(selectors) - set(SELECTORS)):
            raise fail(f"{part}: unknown key {unknown[0]!r} (known: {', '.join(SELECTORS)})")
        rules[part] = {}
        for key, values in selectors.items():
            values = [values] if isinstance(values, str) else values
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) and v for v in values)
            ):
                raise fail(f"{part}.{key}: expected a name or a list of names")
            rules[part][SELECTORS[key]] = tuple(to_simplified(v) for v in values)
    if unknown := sorted(set(entry) - {"title", "subtitle", "include", "exclude"}):
        raise fail(f"unknown key {unknown[0]!r} (known: title, subtitle, include, exclude)")
    include, exclude = rules["include"], rules["exclude"]
    return CustomTopic(
        name=name,
        title=str(entry["title"]),
        subtitle=str(entry.get("subtitle") or ""),
        include={kind: values for kind, values in include.items() if kind != "keyword"},
        exclude={kind: values for kind, values in exclude.items() if kind != "keyword"},
        keywords=include.get("keyword", ()),
        excluded_keywords=exclude.get("keyword", ()),
    )


def check_topics(config: FeedConfig, vocabulary: TagVocabulary) -> None:
    """Stop with a :class:`TopicError` naming the first city, county, province, initiative or site a
    custom topic names that *vocabulary* does not know (a known one with no articles yet is fine)."""
    for topic in config.custom.values():
        for part, rules in (("include", topic.include), ("exclude", topic.exclude)):
            for kind, values in rules.items():
                for value in values:
                    if not vocabulary.knows(kind, value):
                        raise TopicError(
                            f"{FEEDS_FILE}: topic {topic.name!r}: {part}: unknown {kind} {value!r}"
                            + (" (initiatives are named by id)" if kind == "initiative" else "")
                        )


def is_safe_value(value: str) -> bool:
    """Whether a tag value can stand in a feed's path (no separators, no dot first, no controls)."""
    return not UNSAFE_VALUE.search(value) and ".." not in value
