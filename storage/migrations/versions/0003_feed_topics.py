"""Feeds per site, topic article counts, ``updated`` as the source's last change.

- every article gets a ``site`` tag row, and every site a topic, so each site has a feed;
- ``topics.article_count``: how many articles each topic holds, counted here once and kept by every
  store write from now on;
- ``articles.updated`` was the crawl time; for an article never edited since it was first stored
  it becomes its publication time (else the first sight, as before): an old article's feed entry
  no longer claims to be new;
- every topic is marked unbuilt, so the next build rewrites every feed.

Revision ID: 0003_feed_topics
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_feed_topics"
down_revision = "0002"
branch_labels = None
depends_on = None

articles = sa.table(
    "articles",
    sa.column("id", sa.String),
    sa.column("site", sa.String),
    sa.column("published", sa.DateTime),
    sa.column("first_seen", sa.DateTime),
    sa.column("updated", sa.DateTime),
    sa.column("sort_time", sa.DateTime),
)
tags = sa.table(
    "article_tags",
    sa.column("article_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("value", sa.String),
    sa.column("sort_time", sa.DateTime),
)
topics = sa.table(
    "topics",
    sa.column("kind", sa.String),
    sa.column("value", sa.String),
    sa.column("version", sa.Integer),
    sa.column("built_version", sa.Integer),
    sa.column("article_count", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("topics") as batch:
        batch.add_column(sa.Column("article_count", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    connection.execute(
        tags.insert().from_select(
            ["article_id", "kind", "value", "sort_time"],
            sa.select(articles.c.id, sa.literal("site"), articles.c.site, articles.c.sort_time),
        )
    )
    sites = connection.execute(sa.select(articles.c.site).distinct()).scalars().all()
    if sites:
        connection.execute(topics.insert(), [{"kind": "site", "value": s, "version": 1} for s in sites])
    counts = (
        sa.select(sa.func.count())
        .where(tags.c.kind == topics.c.kind, tags.c.value == topics.c.value)
        .scalar_subquery()
    )
    connection.execute(topics.update().where(topics.c.kind != "all").values(article_count=counts))
    total = sa.select(sa.func.count()).select_from(articles).scalar_subquery()
    connection.execute(topics.update().where(topics.c.kind == "all").values(article_count=total))
    connection.execute(
        articles.update()
        .where(articles.c.updated == articles.c.first_seen, articles.c.published.is_not(None))
        .where(articles.c.published < articles.c.first_seen)
        .values(updated=articles.c.published)
    )
    connection.execute(topics.update().values(built_version=None))


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(tags.delete().where(tags.c.kind == "site"))
    connection.execute(topics.delete().where(topics.c.kind == "site"))
    with op.batch_alter_table("topics") as batch:
        batch.drop_column("article_count")
