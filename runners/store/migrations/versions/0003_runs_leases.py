"""Runs as queued jobs, and leases on claims.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("submissions", sa.Column("lease_until", WHEN, nullable=True))
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("language", sa.String(50), nullable=False),
        sa.Column("source", sa.LargeBinary, nullable=False),
        sa.Column("stdin", sa.LargeBinary, nullable=False),
        sa.Column("time_limit", sa.Float, nullable=False),
        sa.Column("memory_limit", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("enqueued_at", WHEN, nullable=False),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("runs")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("lease_until")
