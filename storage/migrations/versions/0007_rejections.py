"""Pages the admission rules rejected (``processors.admit``): how many crawls tried each, and why.

A rejected page is not stored, so the next crawl tries it again; after ``ADMIT_MAX_ATTEMPTS``
crawls it is given up and the spiders skip it, as they skip stored articles.

Revision ID: 0007_rejections
Revises: 0006_stories
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_rejections"
down_revision = "0006_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejections",
        sa.Column("url", sa.String(1000), primary_key=True),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("last_tried", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_rejections_site", "rejections", ["site"])


def downgrade() -> None:
    op.drop_table("rejections")
