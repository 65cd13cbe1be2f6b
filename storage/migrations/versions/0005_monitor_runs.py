"""The monitor's memory: its crawls and the health events it published.

- ``crawl_runs``: one row per crawl the monitor ran (site, start, end, outcome, finish reason, exit
  status, and what it found as JSON), so a restart resumes each site's schedule where it was and
  the health checks compare a crawl with the site's last ones;
- ``health_events``: each problem found with a site and each recovery, for ``/healthz`` and the
  ``monitor-health`` feed.

Revision ID: 0005_monitor_runs
Revises: 0004_list_validators
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_monitor_runs"
down_revision = "0004_list_validators"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("finished", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("finish_reason", sa.String(60), nullable=True),
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_crawl_runs_site_started", "crawl_runs", ["site", "started"])
    op.create_table(
        "health_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(40), nullable=False),
        sa.Column("check", sa.String(40), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )
    op.create_index("ix_health_events_site_check", "health_events", ["site", "check", "id"])


def downgrade() -> None:
    op.drop_table("health_events")
    op.drop_table("crawl_runs")
