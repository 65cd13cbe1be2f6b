"""The store's tables as the code of this version expects them (Alembic migrations lead there).

- ``articles``: one row per article, its fields as UTF-8 JSON, its times timezone-aware (stored UTC);
- ``article_tags``: one row per (article, kind, value), carrying the article's sort time, so that a
  feed's newest articles are read off the index ``(kind, value, sort_time, article_id)`` in order;
- ``topics``: one row per tag value (and ``all``) with its article count and a version that every
  change to one of its articles raises, and the version its feed was last built from: what is out
  of date is read from here, so a crash between storing and rebuilding heals on the next build;
- ``story_articles``: the story each article is in (syndicated copies of one report share one), and
  ``story_bands``: the LSH band keys of the articles stored in the last days, which find a new
  article's earlier copies (``storage.stories``);
- ``store_meta``: facts fixed at first use, such as the authority of the feeds' tag URIs;
- ``crawl_runs``: the monitor's crawls, one row each (when, how it ended, what it found), from which
  it resumes its schedule after a restart and judges a site's health against its history;
- ``health_events``: what the monitor found wrong with a site, and its recovery (the health feed);
- ``rejections``: pages the admission rules turned away, with how many crawls tried each (given up
  after ``ADMIT_MAX_ATTEMPTS``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class AwareDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend: stored as UTC, read back as UTC-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: times must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    site: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(AwareDateTime, index=True)
    first_seen: Mapped[datetime] = mapped_column(AwareDateTime)
    updated: Mapped[datetime] = mapped_column(AwareDateTime, index=True)
    """When the article last changed at its source: its own modified time, else its publication,
    else when it was first seen; an edit found on a re-crawl moves it to that moment."""
    sort_time: Mapped[datetime] = mapped_column(AwareDateTime)
    """When the article is placed in the feeds: its publication time, else when it was first seen."""
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Every field of the cleaned, tagged article (see core.items.Article)."""
    tags: Mapped[list[TagRow]] = relationship(back_populates="article", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_articles_sort_time", "sort_time", "id"),)


class TagRow(Base):
    """One tag of one article, with the article's sort time so a feed is one index range."""

    __tablename__ = "article_tags"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    sort_time: Mapped[datetime] = mapped_column(AwareDateTime)
    article: Mapped[ArticleRow] = relationship(back_populates="tags")

    __table_args__ = (Index("ix_tags_topic_time", "kind", "value", "sort_time", "article_id"),)


class TopicRow(Base):
    """A feed topic (``all``, or a tag kind and value) and how far its feed is behind the store."""

    __tablename__ = "topics"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Raised by every store write that adds, changes or removes one of the topic's articles."""
    built_version: Mapped[int | None] = mapped_column(Integer)
    """The version the topic's feed was last built from (None: never built)."""
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    """How many stored articles the topic holds (kept by the same writes that raise the version)."""


class StoryArticleRow(Base):
    """An article's place in a story: the same report on several sites is one story, whose id is
    that of the article stored first (so a feed entry keeps its id when a copy arrives)."""

    __tablename__ = "story_articles"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[str] = mapped_column(String(200), index=True)
    joined: Mapped[datetime] = mapped_column(AwareDateTime)
    """When the article was stored and linked (a copy joining changes the story's entry then)."""
    own_outlet: Mapped[bool] = mapped_column(Boolean)
    """Whether the 来源 the article names is its own site's: a copy credits another outlet."""


class StoryBandRow(Base):
    """One LSH band key of an article's MinHash signature (``core.similarity.band_keys``): articles
    sharing a key are candidate copies. Kept for ``storage.stories.WINDOW`` only."""

    __tablename__ = "story_bands"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[str] = mapped_column(
        ForeignKey("story_articles.article_id", ondelete="CASCADE"), primary_key=True
    )
    joined: Mapped[datetime] = mapped_column(AwareDateTime, index=True)


class MetaRow(Base):
    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ValidatorRow(Base):
    """What a list page's server said identifies the version it sent (``ETag``, ``Last-Modified``),
    sent back on the next crawl so an unchanged page is answered ``304`` and costs nothing."""

    __tablename__ = "list_validators"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    site: Mapped[str] = mapped_column(String(40), index=True)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(40))


class CrawlRunRow(Base):
    """One crawl the monitor ran: when, how it ended and what it found (``monitor.outcome``)."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(String(40))
    started: Mapped[datetime] = mapped_column(AwareDateTime)
    finished: Mapped[datetime] = mapped_column(AwareDateTime)
    outcome: Mapped[str] = mapped_column(String(20))
    """finished, failed, crashed, timeout or killed."""
    finish_reason: Mapped[str | None] = mapped_column(String(60))
    exit_code: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What the crawl found: counts, shares, the checks that failed (``monitor.outcome.CrawlRun``)."""

    __table_args__ = (Index("ix_crawl_runs_site_started", "site", "started"),)


class HealthEventRow(Base):
    """A problem the monitor found with a site (``state`` = problem) or its end (recovered)."""

    __tablename__ = "health_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(String(40))
    check: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    time: Mapped[datetime] = mapped_column(AwareDateTime)
    message: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_health_events_site_check", "site", "check", "id"),)


class RejectionRow(Base):
    """A page the admission rules rejected (``processors.admit``): tried again by later crawls until
    ``attempts`` reaches ``ADMIT_MAX_ATTEMPTS``, then skipped as given up."""

    __tablename__ = "rejections"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    site: Mapped[str] = mapped_column(String(40), index=True)
    attempts: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    """Why it was rejected the last time."""
    last_tried: Mapped[datetime] = mapped_column(AwareDateTime)
