"""Runs of the Judge0 API: a token, an expected output, a wall-time limit, the Judge0
language id, the output as bytes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("token", sa.String(36), nullable=True))
        batch.add_column(sa.Column("expected_output", sa.LargeBinary, nullable=True))
        batch.add_column(sa.Column("wall_time_limit", sa.Float, nullable=True))
        batch.add_column(sa.Column("judge0_language", sa.Integer, nullable=True))
        batch.add_column(sa.Column("output", sa.JSON, nullable=True))
        batch.create_index("ix_runs_token", ["token"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_index("ix_runs_token")
        for column in ("output", "judge0_language", "wall_time_limit", "expected_output", "token"):
            batch.drop_column(column)
