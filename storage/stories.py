"""Stories: the same report on several sites (a syndicated copy) is one story.

A new article is compared with the articles stored in the last :data:`WINDOW` by its LSH band keys
(``core.similarity``): those sharing a key are candidates, and a candidate whose body is at least
:data:`~core.similarity.SAME_STORY` alike is a copy of the same story. The story's id is that of its
first-stored article, so the feed entry of a story keeps its id when a copy arrives later. The band
keys are rows of the store (``story_bands``), so what finds a copy survives restarts, is shared by
every process, and costs no memory; rows older than the window are deleted as new ones come, so
the table stays the size of a window. Linking runs in the article's own write transaction, with the
store's write lock held (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory
lock), so two crawls storing two copies at once see each other and make one story.

The original, first among a story's articles, is the one whose own outlet the others credit as their
来源 (``outlet``), else the earliest published, else the first stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, delete, func, insert, literal, select, text
from sqlalchemy.orm import Session

from core.items import Article
from core.similarity import SAME_STORY, band_keys, body_of, jaccard, shingles, signature
from storage.schema import ArticleRow, StoryArticleRow, StoryBandRow

WINDOW = timedelta(days=7)
"""How far back a new article is compared: copies of a report appear within days of it, and the
window bounds the band rows kept and the candidates compared, however long the monitor runs."""
ADVISORY_LOCK = 0x5702_1E5
"""PostgreSQL: the advisory lock held while a story is looked up and linked (one writer at a time)."""


@dataclass(frozen=True)
class StoryKey:
    """What places a new article in a story: its body's shingles and LSH band keys, and whether
    the 来源 it names is its own site's."""

    shingles: frozenset[str]
    bands: tuple[int, ...]
    own_outlet: bool

    @classmethod
    def of(cls, article: Article, own_outlet: bool) -> StoryKey | None:
        """The key of *article*, None when its text is too short to be compared."""
        shingled = shingles(body_of(article.body_simplified))
        if not shingled:
            return None
        return cls(shingled, tuple(band_keys(signature(shingled))), own_outlet)


@dataclass(frozen=True)
class Linked:
    story_id: str
    others: list[str]
    """The story's other articles (their feeds show the story, which has changed)."""


def link(session: Session, article_id: str, key: StoryKey, now: datetime) -> Linked:
    """Place the new article *article_id* in the story of its closest copy stored in the last
    :data:`WINDOW`, else in a story of its own; in the caller's write transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    since = now - WINDOW
    session.execute(delete(StoryBandRow).where(StoryBandRow.joined < since))  # what is left is the window
    candidates = session.execute(
        select(StoryArticleRow.article_id, StoryArticleRow.story_id, ArticleRow.data)
        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
        .where(
            StoryArticleRow.article_id.in_(
                select(StoryBandRow.article_id).where(StoryBandRow.key.in_(key.bands))
            )
        )
        .order_by(StoryArticleRow.joined, StoryArticleRow.article_id)
    ).all()
    best, story_id = SAME_STORY, article_id
    for candidate in candidates:
        likeness = jaccard(key.shingles, shingles(body_of(candidate.data.get("body_simplified", ""))))
        if likeness >= best:
            best, story_id = likeness, candidate.story_id
    session.add(
        StoryArticleRow(article_id=article_id, story_id=story_id, joined=now, own_outlet=key.own_outlet)
    )
    session.flush()
    session.execute(
        insert(StoryBandRow),
        [{"key": band, "article_id": article_id, "joined": now} for band in set(key.bands)],
    )
    return Linked(story_id, story_others(session, article_id))


def story_others(session: Session, article_id: str) -> list[str]:
    """The other articles of *article_id*'s story."""
    story = select(StoryArticleRow.story_id).where(StoryArticleRow.article_id == article_id).scalar_subquery()
    return sorted(
        session.scalars(
            select(StoryArticleRow.article_id).where(
                StoryArticleRow.story_id == story, StoryArticleRow.article_id != article_id
            )
        )
    )


@dataclass(frozen=True)
class Member:
    """One article of a story, as the feeds show it."""

    article: Article
    first_seen: datetime
    updated: datetime
    joined: datetime
    own_outlet: bool


def original_first(members: Sequence[Member]) -> list[Member]:
    """*members* in the order a story shows them: the original first (the one whose own outlet the
    others credit as 来源, else the earliest published, else the first stored), then the copies."""
    credited = {m.article.outlet for m in members if not m.own_outlet and m.article.outlet}

    def rank(member: Member) -> tuple:
        published = member.article.published
        return (
            not (member.own_outlet and member.article.outlet in credited),
            published is None,
            published or member.joined,
            member.joined,
            member.article.id,
        )

    return sorted(members, key=rank)


def story_updated(members: Iterable[tuple[datetime, str, datetime]]) -> datetime:
    """When a story last changed, from its articles' (joined, id, updated): the latest of their
    ``updated`` and of the moments its copies joined it (a copy arriving changes the story's entry)."""
    ordered = sorted(members)
    return max([updated for _, _, updated in ordered] + [joined for joined, _, _ in ordered[1:]])


def story_heads(connection: Connection, article_ids: Iterable[str]) -> dict[str, tuple[str, datetime]]:
    """The story of each of *article_ids* that is in a story of several articles, or in a story
    named after another (its first article deleted since), and when that story last changed."""
    ids = list(article_ids)
    if not ids:
        return {}
    shared = (
        select(StoryArticleRow.story_id)
        .group_by(StoryArticleRow.story_id)
        .having(func.count() > 1)
        .where(
            StoryArticleRow.story_id.in_(
                select(StoryArticleRow.story_id).where(StoryArticleRow.article_id.in_(ids))
            )
        )
    )
    rows = connection.execute(
        select(StoryArticleRow.article_id, StoryArticleRow.story_id).where(
            StoryArticleRow.article_id.in_(ids),
            (StoryArticleRow.story_id != StoryArticleRow.article_id) | StoryArticleRow.story_id.in_(shared),
        )
    )
    found = {article: story for article, story in rows}
    members: dict[str, list[tuple[datetime, str, datetime]]] = {}
    for story, joined, article, updated in connection.execute(
        select(StoryArticleRow.story_id, StoryArticleRow.joined, ArticleRow.id, ArticleRow.updated)
        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
        .where(StoryArticleRow.story_id.in_(set(found.values())))
    ):
        members.setdefault(story, []).append((joined, article, updated))
    updated = {story: story_updated(times) for story, times in members.items()}
    return {article: (story, updated[story]) for article, story in found.items()}


def member_rows(connection: Connection, ids: Iterable[str]) -> list[Row]:
    """The rows of the articles of the stories *ids* (by story id; an id that is no story: the
    article of that id, alone)."""
    ids = list(ids)
    linked = connection.execute(
        select(
            StoryArticleRow.story_id,
            StoryArticleRow.joined,
            StoryArticleRow.own_outlet,
            ArticleRow.id,
            ArticleRow.data,
            ArticleRow.first_seen,
            ArticleRow.updated,
        )
        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
        .where(StoryArticleRow.story_id.in_(ids))
    ).all()
    found = {row.story_id for row in linked}
    missing = [story for story in ids if story not in found]
    if not missing:  # every article stored since stories exist is in one
        return linked
    alone = connection.execute(
        select(
            ArticleRow.id.label("story_id"),
            ArticleRow.first_seen.label("joined"),
            literal(True).label("own_outlet"),
            ArticleRow.id,
            ArticleRow.data,
            ArticleRow.first_seen,
            ArticleRow.updated,
        ).where(ArticleRow.id.in_(missing))
    ).all()
    return [*linked, *alone]
