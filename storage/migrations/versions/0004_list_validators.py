"""List pages' validators (ETag, Last-Modified), kept so conditional GETs survive restarts.

Revision ID: 0004_list_validators
Revises: 0003_feed_topics
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_list_validators"
down_revision = "0003_feed_topics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_validators",
        sa.Column("url", sa.String(1000), primary_key=True),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("etag", sa.String(200)),
        sa.Column("last_modified", sa.String(40)),
    )
    op.create_index("ix_list_validators_site", "list_validators", ["site"])


def downgrade() -> None:
    op.drop_table("list_validators")
