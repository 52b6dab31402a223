"""Tokens, exercises and submissions.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "exercises",
        sa.Column("slug", sa.String(100), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("public", sa.JSON, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("tokens.id"), nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("exercise", sa.String(100), nullable=False, index=True),
        sa.Column("language", sa.String(50), nullable=False),
        sa.Column("source", sa.LargeBinary, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("tokens.id"), nullable=True, index=True),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("verdict", sa.String(5), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("max_score", sa.Float, nullable=True),
        sa.Column("compile_output", sa.Text, nullable=True),
        sa.Column("tests", sa.JSON, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("enqueued_at", WHEN, nullable=False),
        sa.Column("heartbeat_at", WHEN, nullable=True),
        sa.Column("judged_at", WHEN, nullable=True),
        sa.Column("latency", sa.Float, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("submissions")
    op.drop_table("exercises")
    op.drop_table("tokens")
