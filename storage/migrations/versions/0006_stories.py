"""Stories: syndicated copies of one report linked to one story, and the LSH band keys that find them.

- ``story_articles``: each article's story (the id of the story's first-stored article), when it
  joined and whether the 来源 it names is its own site's;
- ``story_bands``: the LSH band keys of the articles stored in the last days, so a new article's
  earlier copies are found from the database, whatever process stored them (``storage.stories``).

Articles stored before this revision are in no story (each its own entry) and are not compared.

Revision ID: 0006_stories
Revises: 0005_monitor_runs
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_stories"
down_revision = "0005_monitor_runs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_articles",
        sa.Column(
            "article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("story_id", sa.String(200), nullable=False),
        sa.Column("joined", sa.DateTime(), nullable=False),
        sa.Column("own_outlet", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])
    op.create_table(
        "story_bands",
        sa.Column("key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column(
            "article_id",
            sa.String(200),
            sa.ForeignKey("story_articles.article_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("joined", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_story_bands_joined", "story_bands", ["joined"])


def downgrade() -> None:
    op.drop_table("story_bands")
    op.drop_table("story_articles")
