"""The article store: what the crawler, the pipelines and the feeds ask of the database.

SQLite file by default, any SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://…``) by the
``DATABASE_URL`` setting. Every write is one transaction: an article is stored whole with its tags
and its topics' versions, or not at all. The calls block: a crawl makes them from one thread of its
own (``storage.crawl``), commands make them directly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from core.dates import SHANGHAI
from core.items import Article
from storage.engine import WRITES, make_engine
from storage.migrate import ensure_current
from storage.schema import ArticleRow, MetaRow, TagRow, TopicRow

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


@dataclass(frozen=True)
class TopicState:
    """A topic (``all``, or a tag's kind and value) and the version of its articles."""

    kind: str
    value: str
    version: int


def content_hash(article: Article) -> str:
    """Hash of what a reader sees; a change means the article was edited."""
    text = "\n".join([article.title or "", article.body, json.dumps(article.published, default=str)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_tags(article: Article) -> set[tuple[str, str]]:
    """The (kind, value) pairs an article is filed under."""
    return (
        {("city", city) for city in article.cities}
        | {("county", county) for county in article.counties}
        | {("province", province) for province in article.provinces}
        | {("initiative", initiative["id"]) for initiative in article.initiatives}
    )


def to_json(article: Article) -> dict[str, Any]:
    data = asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    return data


def from_json(data: dict[str, Any]) -> Article:
    known = {f.name for f in fields(Article)}
    values = {key: value for key, value in data.items() if key in known}
    if values.get("published"):
        values["published"] = datetime.fromisoformat(values["published"]).astimezone(SHANGHAI)
    return Article(**values)


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

    def save(self, article: Article, now: datetime | None = None) -> SaveOutcome:
        """Insert a new article, or update a stored one whose content changed; one transaction,
        which also raises the version of every topic the article enters, stays in or leaves."""
        now = now or datetime.now(UTC)
        digest = content_hash(article)
        with self.transaction(writes=True) as session:
            row = session.get(ArticleRow, article.id)
            previous = frozenset((tag.kind, tag.value) for tag in row.tags) if row else frozenset()
            if row is not None and row.content_hash == digest:
                return SaveOutcome("unchanged", previous)
            result: StoreResult = "new" if row is None else "updated"
            if row is None:
                row = ArticleRow(id=article.id, first_seen=now)
                session.add(row)
            sort_time = article.published or row.first_seen
            row.url = article.url
            row.site = article.site
            row.title = article.title
            row.published = article.published
            row.updated = now
            row.sort_time = sort_time
            row.content_hash = digest
            row.data = to_json(article)
            tags = article_tags(article)
            row.tags = [TagRow(kind=kind, value=value, sort_time=sort_time) for kind, value in sorted(tags)]
            session.flush()
            _raise_versions(session, tags | previous | {ALL})
            return SaveOutcome(result, previous)

    def count(self) -> int:
        with self.transaction() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def get(self, article_id: str) -> StoredArticle | None:
        with self.transaction() as session:
            row = session.get(ArticleRow, article_id)
            return _stored(row) if row is not None else None

    def latest(self, limit: int, kind: str | None = None, value: str | None = None) -> list[StoredArticle]:
        """The newest *limit* articles (by publication, else first sight), optionally of one tag.

        The ids come off an index in order (``(sort_time, id)`` or ``(kind, value, sort_time,
        article_id)``) and only those rows are loaded: the cost does not grow with the topic.
        """
        if kind is None:
            ids = select(ArticleRow.id).order_by(ArticleRow.sort_time.desc(), ArticleRow.id.desc())
        else:
            ids = (
                select(TagRow.article_id)
                .where(TagRow.kind == kind, TagRow.value == value)
                .order_by(TagRow.sort_time.desc(), TagRow.article_id.desc())
            )
        with self.transaction() as session:
            order = list(session.scalars(ids.limit(limit)))
            rows = {
                row.id: row for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(order)))
            }
            return [_stored(rows[article_id]) for article_id in order]

    # -- topics -------------------------------------------------------------------------------

    def tag_values(self, kind: str) -> list[str]:
        """Every value of tag *kind* the store has seen (from the topics table, not the articles)."""
        with self.transaction() as session:
            return list(
                session.scalars(select(TopicRow.value).where(TopicRow.kind == kind).order_by(TopicRow.value))
            )

    def topics(self, kinds: Iterable[str], *, stale_only: bool = False) -> list[TopicState]:
        """The topics of *kinds* with their versions; *stale_only*: only those whose feed was never
        built or was built from an older version."""
        query = select(TopicRow).where(TopicRow.kind.in_(list(kinds)))
        if stale_only:
            query = query.where(
                (TopicRow.built_version.is_(None)) | (TopicRow.built_version < TopicRow.version)
            )
        with self.transaction() as session:
            return [TopicState(row.kind, row.value, row.version) for row in session.scalars(query)]

    def mark_built(self, built: Iterable[TopicState]) -> None:
        """Record that each topic's feed now reflects its articles as of its version."""
        with self.transaction(writes=True) as session:
            for topic in built:
                session.execute(
                    update(TopicRow)
                    .where(TopicRow.kind == topic.kind, TopicRow.value == topic.value)
                    .values(built_version=topic.version)
                )

    # -- facts fixed at first use ---------------------------------------------------------------

    def fixed_value(self, key: str, default: str) -> str:
        """The value recorded under *key*; on first use, *default* is recorded and returned."""
        with self.transaction(writes=True) as session:
            row = session.get(MetaRow, key)
            if row is None:
                row = MetaRow(key=key, value=default)
                session.add(row)
            return row.value


def _raise_versions(session: Session, topics: set[tuple[str, str]]) -> None:
    """Add one to the version of each topic, creating the ones not seen before (an upsert)."""
    dialect = session.get_bind().dialect.name
    insert = INSERTS[dialect](TopicRow).values(
        [{"kind": k, "value": v, "version": 1} for k, v in sorted(topics)]
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[TopicRow.kind, TopicRow.value], set_={"version": TopicRow.version + 1}
        )
    )


def _stored(row: ArticleRow) -> StoredArticle:
    return StoredArticle(from_json(row.data), row.first_seen, row.updated)
