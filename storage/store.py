"""The article store: what the crawler, the pipelines and the feeds ask of the database.

SQLite file by default, any SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://…``) by the
``DATABASE_URL`` setting. Every write is one transaction: an article is stored whole with its tags
and its topics' versions, or not at all. The calls block: a crawl makes them from one thread of its
own (``storage.crawl``), commands make them directly.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import Engine, Row, bindparam, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from core.dates import SHANGHAI
from core.items import Article
from core.tags import tags_by_kind
from storage.engine import WRITES, make_engine
from storage.migrate import ensure_current
from storage.schema import ArticleRow, MetaRow, RejectionRow, TagRow, TopicRow, ValidatorRow
from storage.stories import (
    Member,
    StoryKey,
    link,
    member_rows,
    original_first,
    story_heads,
    story_others,
    story_updated,
)

DEFAULT_DATABASE_URL = "sqlite:///var/news.db"
StoreResult = Literal["new", "updated", "unchanged"]
ALL = ("all", "")
"""The topic of every article."""
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
"""The databases the store supports: their INSERT … ON CONFLICT makes topic versions an upsert."""


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored, with the store's own times."""

    article: Article
    first_seen: datetime
    updated: datetime


@dataclass(frozen=True)
class SaveOutcome:
    result: StoreResult
    previous_tags: frozenset[tuple[str, str]]
    """The tags the stored row had before this save (empty for a new article)."""
    story: str | None = None
    """The story a new article was linked to (its own id: a story of its own; None: not linked)."""


@dataclass(frozen=True)
class Story:
    """A story as the feeds show it: its articles, the original first, and when it last changed."""

    id: str
    articles: list[StoredArticle]
    updated: datetime


@dataclass(frozen=True)
class Validators:
    """A list page's ``ETag`` and ``Last-Modified``, as its server sent them."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class TopicState:
    """A topic (``all``, or a tag's kind and value) and the version of its articles."""

    kind: str
    value: str
    version: int
    article_count: int = 0


class EntryHead(NamedTuple):
    """What a feed needs to know of an article before it decides to render it (a tuple: a build
    makes tens of thousands)."""

    id: str
    updated: datetime
    site: str


HEAD_COLUMNS = (ArticleRow.id, ArticleRow.updated, ArticleRow.site)
"""An :class:`EntryHead`'s columns."""
NEWEST_FIRST = (ArticleRow.sort_time.desc(), ArticleRow.id.desc())
LATEST_HEADS = select(*HEAD_COLUMNS).order_by(*NEWEST_FIRST).limit(bindparam("limit"))
TOPIC_HEADS = (
    select(*HEAD_COLUMNS)
    .join(TagRow, TagRow.article_id == ArticleRow.id)
    .where(TagRow.kind == bindparam("kind"), TagRow.value == bindparam("value"))
    .order_by(TagRow.sort_time.desc(), TagRow.article_id.desc())
    .limit(bindparam("limit"))
)
ARTICLES = select(ArticleRow.id, ArticleRow.data, ArticleRow.first_seen, ArticleRow.updated).where(
    ArticleRow.id.in_(bindparam("ids", expanding=True))
)
"""Stored articles by id, read as rows: no ORM objects (a feed build reads thousands)."""
STORY_BATCH = 500
"""Article ids per look-up of their stories (a build asks for tens of thousands: SQLite binds at
most 32,766 values in one statement)."""


def content_hash(article: Article) -> str:
    """Hash of what a reader sees; a change means the article was edited."""
    text = "\n".join([article.title or "", article.body, json.dumps(article.published, default=str)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_tags(article: Article) -> set[tuple[str, str]]:
    """The (kind, value) pairs an article is filed under: its site, places and initiatives."""
    return {(kind, value) for kind, values in tags_by_kind(article).items() for value in values}


TIMES = ("published", "modified")
"""The article's datetime fields, stored as ISO 8601 text in its JSON."""


def to_json(article: Article) -> dict[str, Any]:
    data = asdict(article)
    for name in TIMES:
        data[name] = data[name].isoformat() if data[name] else None
    return data


ARTICLE_FIELDS = frozenset(f.name for f in fields(Article))


def from_json(data: dict[str, Any]) -> Article:
    values = {key: value for key, value in data.items() if key in ARTICLE_FIELDS}
    for name in TIMES:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name]).astimezone(SHANGHAI)
    return Article(**values)


def source_updated(article: Article, first_seen: datetime) -> datetime:
    """When *article* last changed at its source: its own modified time, else its publication,
    else *first_seen*; never later than *first_seen* (a date in the future is a site's mistake)."""
    return min(max(filter(None, (article.modified, article.published)), default=first_seen), first_seen)


def edited_at(article: Article, previous: datetime, now: datetime) -> datetime:
    """When an edit found at *now* happened: the article's own modified time if the site gives a
    later one than the *previous* ``updated``, else the moment it was found."""
    if article.modified is not None and previous < article.modified <= now:
        return article.modified
    return now


class ArticleStore:
    def __init__(self, url: str = DEFAULT_DATABASE_URL) -> None:
        self.engine: Engine = make_engine(url)
        if self.engine.dialect.name not in INSERTS:
            raise ValueError(f"DATABASE_URL {url!r}: the store supports SQLite and PostgreSQL")
        ensure_current(self.engine)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(**{WRITES: True}), expire_on_commit=False)

    @contextmanager
    def transaction(self, *, writes: bool = False) -> Iterator[Session]:
        with (self._writes if writes else self._reads).begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # -- articles -----------------------------------------------------------------------------

    def known_urls(self, site: str) -> set[str]:
        with self.transaction() as session:
            return set(session.scalars(select(ArticleRow.url).where(ArticleRow.site == site)))

    def save(
        self, article: Article, now: datetime | None = None, *, own_outlet: bool | None = None
    ) -> SaveOutcome:
        """Insert a new article, or update a stored one whose content changed; one transaction,
        which also raises the version of every topic the article enters, stays in or leaves. A new
        article saved with *own_outlet* (whether the 来源 it names is its own site's) is linked to
        the story of its copies stored before, else to one of its own; its story key (a MinHash,
        about a millisecond) is computed for a new article only, before the write lock is taken (in
        the transaction only if the article was deleted meanwhile). When an article of a story is
        new or changed, the topics of the story's other articles are raised too (their feeds show
        the story's entry, which changed)."""
        now = now or datetime.now(UTC)
        if now.tzinfo is None:
            raise ValueError(f"naive datetime {now!r}: times must be timezone-aware")
        digest = content_hash(article)
        key = None
        if own_outlet is not None and not self.has(article.id):
            key = StoryKey.of(article, own_outlet)
        with self.transaction(writes=True) as session:
            row = session.get(ArticleRow, article.id)
            previous = frozenset((tag.kind, tag.value) for tag in row.tags) if row else frozenset()
            if row is not None and row.content_hash == digest:
                return SaveOutcome("unchanged", previous)
            result: StoreResult = "new" if row is None else "updated"
            if row is None:
                row = ArticleRow(id=article.id, first_seen=now)
                row.updated = source_updated(article, now)
                session.add(row)
            else:
                row.updated = edited_at(article, row.updated, now)
            sort_time = article.published or row.first_seen
            row.url = article.url
            row.site = article.site
            row.title = article.title
            row.published = article.published
            row.sort_time = sort_time
            row.content_hash = digest
            row.data = to_json(article)
            tags = article_tags(article)
            row.tags = [TagRow(kind=kind, value=value, sort_time=sort_time) for kind, value in sorted(tags)]
            session.flush()
            if result == "new":
                session.execute(delete(RejectionRow).where(RejectionRow.url == article.url))
            _raise_versions(session, tags | {ALL}, previous | ({ALL} if result == "updated" else set()))
            if result == "new":
                if key is None and own_outlet is not None:  # deleted since it was looked for
                    key = StoryKey.of(article, own_outlet)
                linked = link(session, article.id, key, now) if key is not None else None
                others = linked.others if linked else []
            else:  # an edit: its story, if any, shows the new text
                linked, others = None, story_others(session, article.id)
            if others:  # the story's entry changed: the feeds of its other articles show it too
                copies = select(TagRow.kind, TagRow.value).where(TagRow.article_id.in_(others))
                changed = {(kind, value) for kind, value in session.execute(copies)} - tags
                _raise_versions(session, changed, changed)
            return SaveOutcome(result, previous, linked.story_id if linked else None)

    def delete_older(self, before: datetime, limit: int) -> Counter[tuple[str, str]]:
        """Delete up to *limit* of the articles placed before *before* (by the time the feeds sort
        them by: publication, else first sight), oldest first, with their tags: one transaction, which
        also counts them out of their topics and raises those topics' versions, so that their feeds
        are rebuilt. Returns how many articles each topic lost (``ALL``'s count: how many were
        deleted; empty: none was that old)."""
        with self.transaction(writes=True) as session:
            ids = list(
                session.scalars(
                    select(ArticleRow.id)
                    .where(ArticleRow.sort_time < before)
                    .order_by(ArticleRow.sort_time, ArticleRow.id)
                    .limit(limit)
                )
            )
            if not ids:
                return Counter()
            tags = session.execute(select(TagRow.kind, TagRow.value).where(TagRow.article_id.in_(ids)))
            lost = Counter((kind, value) for kind, value in tags)
            lost[ALL] = len(ids)
            session.execute(delete(TagRow).where(TagRow.article_id.in_(ids)))
            session.execute(delete(ArticleRow).where(ArticleRow.id.in_(ids)))
            table = TopicRow.__table__
            session.connection().execute(
                update(table)
                .where(table.c.kind == bindparam("k"), table.c.value == bindparam("v"))
                .values(version=table.c.version + 1, article_count=table.c.article_count - bindparam("n")),
                [{"k": kind, "v": value, "n": n} for (kind, value), n in sorted(lost.items())],
            )
            return lost

    def has(self, article_id: str) -> bool:
        with self.transaction() as session:
            return session.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is not None

    def count(self) -> int:
        with self.transaction() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def get(self, article_id: str) -> StoredArticle | None:
        with self.transaction() as session:
            row = session.get(ArticleRow, article_id)
            return _stored(row) if row is not None else None

    def latest(self, limit: int, kind: str | None = None, value: str | None = None) -> list[StoredArticle]:
        """The newest *limit* articles (by publication, else first sight), optionally of one tag."""
        topic = ALL if kind is None else (kind, value or "")
        order = [head.id for head in self.heads(limit, [topic])[topic]]
        rows = self.articles(order)
        return [rows[article_id] for article_id in order]

    def heads(self, limit: int, topics: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[EntryHead]]:
        """The newest *limit* articles of each topic (a tag's kind and value, or :data:`ALL`), as a
        feed needs them before it renders any: their ids, ``updated`` and sites.

        They come off an index in order (``(sort_time, id)`` or ``(kind, value, sort_time,
        article_id)``), so the cost does not grow with the topic; one connection and one prepared
        statement serve every topic.
        """
        found = {}
        with self.engine.connect() as connection:
            for kind, value in topics:
                if (kind, value) == ALL:
                    rows = connection.execute(LATEST_HEADS, {"limit": limit})
                else:
                    rows = connection.execute(TOPIC_HEADS, {"kind": kind, "value": value, "limit": limit})
                found[kind, value] = [EntryHead(*row) for row in rows]
        return found

    def articles(self, ids: Iterable[str]) -> dict[str, StoredArticle]:
        """The stored articles of *ids*, by id (ids the store lacks are left out)."""
        with self.engine.connect() as connection:
            return {row.id: _stored(row) for row in connection.execute(ARTICLES, {"ids": list(ids)})}

    def story_heads(self, article_ids: Iterable[str]) -> dict[str, tuple[str, datetime]]:
        """The story of each of *article_ids* that shares its story with other articles (or whose
        story is named after an article deleted since), and when it last changed; each of the
        others is a story of its own, of its id."""
        ids, found = sorted(set(article_ids)), {}
        with self.engine.connect() as connection:
            for first in range(0, len(ids), STORY_BATCH):
                found.update(story_heads(connection, ids[first : first + STORY_BATCH]))
        return found

    def stories(self, ids: Iterable[str]) -> dict[str, Story]:
        """The stories of *ids* with their stored articles, the original first (an id that names no
        story: the article of that id alone; ids the store lacks are left out)."""
        members: dict[str, list[Member]] = {}
        with self.engine.connect() as connection:
            for row in member_rows(connection, ids):
                member = Member(from_json(row.data), row.first_seen, row.updated, row.joined, row.own_outlet)
                members.setdefault(row.story_id, []).append(member)
        return {
            story: Story(
                story,
                [StoredArticle(m.article, m.first_seen, m.updated) for m in original_first(found)],
                story_updated((m.joined, m.article.id, m.updated) for m in found),
            )
            for story, found in members.items()
        }

    def matching_heads(
        self,
        limit: int,
        include: Mapping[str, Collection[str]],
        exclude: Mapping[str, Collection[str]],
        accept: Callable[[Article], bool] | None = None,
    ) -> list[EntryHead]:
        """The newest *limit* articles that carry, for every kind of *include*, one of its values,
        and none of the values of *exclude*; *accept*, if given, must also pass each article."""

        def tagged(kind: str, values: Collection[str]):
            return exists().where(
                TagRow.article_id == ArticleRow.id, TagRow.kind == kind, TagRow.value.in_(list(values))
            )

        query = (
            select(*HEAD_COLUMNS)
            .where(*(tagged(kind, values) for kind, values in include.items()))
            .where(*(~tagged(kind, values) for kind, values in exclude.items() if values))
            .order_by(*NEWEST_FIRST)
        )
        found: list[EntryHead] = []
        batch = limit if accept is None else max(limit, 200)
        with self.transaction() as session:
            for offset in itertools.count(0, batch):
                rows = session.execute(query.limit(batch).offset(offset)).all()
                heads = [EntryHead(*row) for row in rows]
                if accept is not None:
                    loaded = self.articles(head.id for head in heads)
                    heads = [head for head in heads if accept(loaded[head.id].article)]
                found += heads
                if len(found) >= limit or len(rows) < batch:
                    return found[:limit]
        return found

    def daily_counts(self, kind: str, since: datetime) -> dict[str, Counter[date]]:
        """For each value of tag *kind*: how many of its articles were published (else first seen)
        on each day since *since*, days as in Asia/Shanghai."""
        query = select(TagRow.value, TagRow.sort_time).where(TagRow.kind == kind, TagRow.sort_time >= since)
        counts: dict[str, Counter[date]] = {}
        with self.transaction() as session:
            for value, sort_time in session.execute(query):
                counts.setdefault(value, Counter())[sort_time.astimezone(SHANGHAI).date()] += 1
        return counts

    # -- topics -------------------------------------------------------------------------------

    def tag_values(self, kind: str) -> list[str]:
        """Every value of tag *kind* the store has seen (from the topics table, not the articles)."""
        with self.transaction() as session:
            return list(
                session.scalars(select(TopicRow.value).where(TopicRow.kind == kind).order_by(TopicRow.value))
            )

    def topics(self, kinds: Iterable[str] | None = None, *, stale_only: bool = False) -> list[TopicState]:
        """The topics of *kinds* (None: every kind) with their versions and article counts;
        *stale_only*: only those whose feed was never built or was built from an older version."""
        query = select(TopicRow)
        if kinds is not None:
            query = query.where(TopicRow.kind.in_(list(kinds)))
        if stale_only:
            query = query.where(
                (TopicRow.built_version.is_(None)) | (TopicRow.built_version < TopicRow.version)
            )
        with self.transaction() as session:
            return [
                TopicState(row.kind, row.value, row.version, row.article_count)
                for row in session.scalars(query)
            ]

    def mark_built(self, built: Iterable[TopicState]) -> None:
        """Record that each topic's feed now reflects its articles as of its version."""
        rows = [{"k": topic.kind, "v": topic.value, "built": topic.version} for topic in built]
        if not rows:
            return
        table = TopicRow.__table__
        statement = (
            update(table)
            .where(table.c.kind == bindparam("k"), table.c.value == bindparam("v"))
            .values(built_version=bindparam("built"))
        )
        with self.transaction(writes=True) as session:
            session.connection().execute(statement, rows)

    # -- list pages' validators ----------------------------------------------------------------

    def validators(self, site: str) -> dict[str, Validators]:
        """The validators last seen for *site*'s list pages, by URL."""
        with self.transaction() as session:
            rows = session.scalars(select(ValidatorRow).where(ValidatorRow.site == site))
            return {row.url: Validators(row.etag, row.last_modified) for row in rows}

    def save_validators(self, site: str, seen: Mapping[str, Validators]) -> None:
        """Keep the validators *seen* for *site*'s list pages (replacing what was kept for them)."""
        if not seen:
            return
        insert = INSERTS[self.engine.dialect.name]
        rows = [
            {"url": url, "site": site, "etag": found.etag, "last_modified": found.last_modified}
            for url, found in sorted(seen.items())
        ]
        statement = insert(ValidatorRow).values(rows)
        with self.transaction(writes=True) as session:
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[ValidatorRow.url],
                    set_={
                        "site": statement.excluded.site,
                        "etag": statement.excluded.etag,
                        "last_modified": statement.excluded.last_modified,
                    },
                )
            )

    # -- pages the admission rules rejected ----------------------------------------------------------

    def reject(self, site: str, url: str, reason: str, now: datetime | None = None) -> int:
        """Record that a crawl rejected *url* (for *reason*); how many crawls have rejected it now
        (storing it, :meth:`save`, forgets its rejections)."""
        now = now or datetime.now(UTC)
        statement = INSERTS[self.engine.dialect.name](RejectionRow).values(
            url=url, site=site, attempts=1, reason=reason, last_tried=now
        )
        with self.transaction(writes=True) as session:
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=[RejectionRow.url],
                    set_={
                        "attempts": RejectionRow.attempts + 1,
                        "reason": statement.excluded.reason,
                        "last_tried": statement.excluded.last_tried,
                    },
                )
            )
            return session.scalar(select(RejectionRow.attempts).where(RejectionRow.url == url)) or 1

    def given_up_urls(self, site: str, attempts: int) -> set[str]:
        """*site*'s pages rejected by *attempts* crawls or more: not to be fetched again."""
        with self.transaction() as session:
            query = select(RejectionRow.url).where(RejectionRow.site == site)
            return set(session.scalars(query.where(RejectionRow.attempts >= attempts)))

    # -- facts kept by the store's users -----------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self.transaction() as session:
            row = session.get(MetaRow, key)
            return row.value if row is not None else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction(writes=True) as session:
            session.merge(MetaRow(key=key, value=value))

    # -- facts fixed at first use ---------------------------------------------------------------

    def fixed_value(self, key: str, default: str) -> str:
        """The value recorded under *key*; on first use, *default* is recorded and returned."""
        with self.transaction(writes=True) as session:
            row = session.get(MetaRow, key)
            if row is None:
                row = MetaRow(key=key, value=default)
                session.add(row)
            return row.value


def _raise_versions(session: Session, now: set[tuple[str, str]], before: set[tuple[str, str]]) -> None:
    """Add one to the version of each topic an article is in *now* or was in *before*, and count it
    in or out of the topics it entered or left; topics not seen before are created (an upsert)."""
    insert = INSERTS[session.get_bind().dialect.name]
    for delta, topics in ((1, now - before), (-1, before - now), (0, now & before)):
        if not topics:
            continue
        rows = [
            {"kind": k, "value": v, "version": 1, "article_count": max(delta, 0)} for k, v in sorted(topics)
        ]
        session.execute(
            insert(TopicRow)
            .values(rows)
            .on_conflict_do_update(
                index_elements=[TopicRow.kind, TopicRow.value],
                set_={"version": TopicRow.version + 1, "article_count": TopicRow.article_count + delta},
            )
        )


def _stored(row: ArticleRow | Row) -> StoredArticle:
    """The article of an :class:`ArticleRow`, or of a row with its ``data``, ``first_seen`` and
    ``updated``."""
    return StoredArticle(from_json(row.data), row.first_seen, row.updated)
