"""The schema the store had before migrations: articles and their tags.

A database made before migrations existed has exactly these tables; ``storage.migrate`` recognises
it and stamps it with this revision.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("url", sa.String(1000), nullable=False, unique=True),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("published", sa.DateTime()),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_updated", "articles", ["updated"])
    op.create_index("ix_articles_site", "articles", ["site"])
    op.create_table(
        "article_tags",
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(100), primary_key=True),
    )
    op.create_index("ix_tags_kind_value", "article_tags", ["kind", "value"])


def downgrade() -> None:
    op.drop_table("article_tags")
    op.drop_table("articles")
