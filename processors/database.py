"""The article store: SQLAlchemy 2 models and the queries the crawler, pipelines and feeds need.

SQLite file by default, any SQLAlchemy URL (PostgreSQL: ``postgresql+psycopg://…``) by the
``DATABASE_URL`` setting. Every write is one transaction: a row is stored whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

from crawler.dates import SHANGHAI
from crawler.items import Article

DEFAULT_DATABASE_URL = "sqlite:///var/news.db"
StoreResult = Literal["new", "updated", "unchanged"]
TAG_KINDS = ("city", "county", "province", "initiative")


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
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Every field of the cleaned, tagged article (see crawler.items.Article)."""
    tags: Mapped[list[TagRow]] = relationship(back_populates="article", cascade="all, delete-orphan")


class TagRow(Base):
    """One tag of one article, so that a feed's articles are one indexed query."""

    __tablename__ = "article_tags"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    article: Mapped[ArticleRow] = relationship(back_populates="tags")

    __table_args__ = (Index("ix_tags_kind_value", "kind", "value"),)


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


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(connection, _record) -> None:
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA journal_mode=WAL")


class ArticleStore:
    def __init__(self, url: str = DEFAULT_DATABASE_URL) -> None:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url)
        _enable_sqlite_foreign_keys(self.engine)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def known_urls(self, site: str) -> set[str]:
        with self.transaction() as session:
            return set(session.scalars(select(ArticleRow.url).where(ArticleRow.site == site)))

    def save(self, article: Article, now: datetime | None = None) -> SaveOutcome:
        """Insert a new article, or update a stored one whose content changed; one transaction."""
        now = now or datetime.now(UTC)
        digest = content_hash(article)
        with self.transaction() as session:
            row = session.get(ArticleRow, article.id)
            previous = (
                frozenset((tag.kind, tag.value) for tag in row.tags) if row is not None else frozenset()
            )
            if row is not None and row.content_hash == digest:
                return SaveOutcome("unchanged", previous)
            result: StoreResult = "new" if row is None else "updated"
            if row is None:
                row = ArticleRow(id=article.id, first_seen=now)
                session.add(row)
            row.url = article.url
            row.site = article.site
            row.title = article.title
            row.published = article.published
            row.updated = now
            row.content_hash = digest
            row.data = to_json(article)
            row.tags = [TagRow(kind=kind, value=value) for kind, value in sorted(article_tags(article))]
            return SaveOutcome(result, previous)

    def count(self) -> int:
        with self.transaction() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def get(self, article_id: str) -> StoredArticle | None:
        with self.transaction() as session:
            row = session.get(ArticleRow, article_id)
            return _stored(row) if row is not None else None

    def latest(self, limit: int, kind: str | None = None, value: str | None = None) -> list[StoredArticle]:
        """The newest *limit* articles (by publication, else first sight), optionally of one tag."""
        query = select(ArticleRow)
        if kind is not None:
            query = query.join(TagRow).where(TagRow.kind == kind, TagRow.value == value)
        query = query.order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.first_seen.desc()).limit(
            limit
        )
        with self.transaction() as session:
            return [_stored(row) for row in session.scalars(query)]

    def tag_values(self, kind: str) -> list[str]:
        with self.transaction() as session:
            return sorted(set(session.scalars(select(TagRow.value).where(TagRow.kind == kind))))


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


def _stored(row: ArticleRow) -> StoredArticle:
    return StoredArticle(from_json(row.data), row.first_seen, row.updated)
