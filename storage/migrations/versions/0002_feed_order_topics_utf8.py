"""Feed queries served by an index, topics that know when their feed is out of date, UTF-8 JSON, our ids.

- ``articles.sort_time`` (publication, else first sight) and ``article_tags.sort_time``, with the
  indexes ``(sort_time, id)`` and ``(kind, value, sort_time, article_id)`` that serve the newest
  articles of a feed in order;
- ``topics``: one row per tag value and ``all``, with the version of its articles and the version
  its feed was built from; every topic starts unbuilt, so the first build rewrites every feed;
- ``store_meta``: facts fixed at first use (the authority and date of the feeds' tag URIs);
- each article's JSON rewritten as UTF-8 text (it held every Chinese character as ``\\uXXXX``);
- article ids become the site's key and number (``tag:qzwb.com,2026:qzwb/5213417`` →
  ``qzwb/5213417``): the feeds mint their tag URIs under the deployer's authority, never the news
  site's domain. Ids change this once, before anyone depends on them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 500

articles = sa.table(
    "articles",
    sa.column("id", sa.String),
    sa.column("published", sa.DateTime),
    sa.column("first_seen", sa.DateTime),
    sa.column("sort_time", sa.DateTime),
    sa.column("data", sa.Text),
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
)


def new_id(old: str) -> str:
    """``tag:qzwb.com,2026:qzwb/5213417`` → ``qzwb/5213417`` (the part after the tagging entity)."""
    return old.split(":", 2)[2] if old.startswith("tag:") else old


def upgrade() -> None:
    op.add_column("articles", sa.Column("sort_time", sa.DateTime()))
    op.add_column("article_tags", sa.Column("sort_time", sa.DateTime()))
    op.create_table(
        "topics",
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(100), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("built_version", sa.Integer()),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    connection = op.get_bind()
    tag_rows = connection.execute(sa.select(tags.c.article_id, tags.c.kind, tags.c.value)).all()
    connection.execute(tags.delete())
    sort_times = _rewrite_articles(connection)
    if tag_rows:
        connection.execute(
            tags.insert(),
            [
                {"article_id": new_id(a), "kind": k, "value": v, "sort_time": sort_times[new_id(a)]}
                for a, k, v in tag_rows
            ],
        )
    topic_keys = {("all", "")} | {(kind, value) for _, kind, value in tag_rows}
    connection.execute(
        topics.insert(), [{"kind": kind, "value": value, "version": 1} for kind, value in sorted(topic_keys)]
    )
    with op.batch_alter_table("articles") as batch:
        batch.alter_column("sort_time", existing_type=sa.DateTime(), nullable=False)
        batch.create_index("ix_articles_sort_time", ["sort_time", "id"])
    with op.batch_alter_table("article_tags") as batch:
        batch.alter_column("sort_time", existing_type=sa.DateTime(), nullable=False)
        batch.drop_index("ix_tags_kind_value")
        batch.create_index("ix_tags_topic_time", ["kind", "value", "sort_time", "article_id"])


def _rewrite_articles(connection: sa.Connection) -> dict[str, object]:
    """New id, UTF-8 JSON and sort time for every article, a batch at a time; new id -> sort time."""
    sort_times: dict[str, object] = {}
    query = sa.select(articles.c.id, articles.c.published, articles.c.first_seen, articles.c.data)
    while rows := connection.execute(query.where(articles.c.sort_time.is_(None)).limit(BATCH)).all():
        for old, published, first_seen, text in rows:
            data = json.loads(text)
            data["id"] = new_id(old)
            sort_times[data["id"]] = published or first_seen
            connection.execute(
                articles.update()
                .where(articles.c.id == old)
                .values(
                    id=data["id"], sort_time=sort_times[data["id"]], data=json.dumps(data, ensure_ascii=False)
                )
            )
    return sort_times


def downgrade() -> None:
    raise NotImplementedError("ids and JSON were rewritten in place: restore a backup instead")
