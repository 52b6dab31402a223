"""The reader's language of each submission, for check scripts (`LANGUAGE`).

A submission is judged, and rejudged, in the language its submitter read the
exercise in (`POST /submissions` with `?lang=` or Accept-Language); those made
before this revision were judged in English, and keep it.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(
            sa.Column("reader_language", sa.String(), nullable=False, server_default="en")
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("reader_language")
