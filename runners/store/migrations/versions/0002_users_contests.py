"""Users (a name, a role, any number of tokens), contests and their entrants, rejudges.

Each existing token becomes its own user with the token's id, so the
`owner_id` of exercises and submissions keep pointing at the same caller;
a name held by several tokens is kept by the oldest and suffixed with the
token id for the others (names are unique now). `owner_id` then refers to
users, not tokens: a token can be revoked (deleted) without touching what
its user owns.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
# SQLite's constraints from 0001 have no name: batch mode names them by this convention.
NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
SUBMISSION_INDEXES = {
    "ix_submissions_owner_id_id": ["owner_id", "id"],
    "ix_submissions_owner_id_exercise_id": ["owner_id", "exercise", "id"],
    "ix_submissions_exercise_id": ["exercise", "id"],
    "ix_submissions_contest_id_id": ["contest_id", "id"],
    "ix_submissions_verdict_id": ["verdict", "id"],
}


def _owner_key(table: str) -> str:
    """The name of `table.owner_id -> tokens.id` as 0001 left it."""
    if op.get_bind().dialect.name == "postgresql":
        return f"{table}_owner_id_fkey"
    return f"fk_{table}_owner_id_tokens"


def _unique_name(name: str, token_id: int, taken: set[str]) -> str:
    candidate, suffix = name, token_id
    while candidate in taken:
        candidate = f"{name}-{suffix}"
        suffix += 1
    return candidate


def _users_from_tokens() -> None:
    bind = op.get_bind()
    tokens = bind.execute(sa.text("SELECT id, name, role, created_at FROM tokens ORDER BY id"))
    taken: set[str] = set()
    insert = sa.text(
        "INSERT INTO users (id, name, role, created_at) VALUES (:id, :name, :role, :created_at)"
    )
    for token_id, name, role, created_at in tokens.all():
        unique = _unique_name(name, token_id, taken)
        taken.add(unique)
        user = {"id": token_id, "name": unique, "role": role, "created_at": created_at}
        bind.execute(insert, user)
    if bind.dialect.name == "postgresql":  # ids were given: move the sequence past them
        bind.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('users', 'id'),"
                " COALESCE(MAX(id), 0) + 1, false) FROM users"
            )
        )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    _users_from_tokens()
    op.create_table(
        "contests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("exercises", sa.JSON, nullable=False),
        sa.Column("start_at", WHEN, nullable=False),
        sa.Column("end_at", WHEN, nullable=False),
        sa.Column("freeze_minutes", sa.Integer, nullable=False),
        sa.Column("penalty_minutes", sa.Integer, nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_table(
        "contest_entrants",
        sa.Column("contest_id", sa.Integer, sa.ForeignKey("contests.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("joined_at", WHEN, nullable=False),
    )
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("last_used_at", WHEN, nullable=True))
    op.execute("UPDATE tokens SET user_id = id")
    with op.batch_alter_table("tokens") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer, nullable=False)
        batch.create_foreign_key("fk_tokens_user_id_users", "users", ["user_id"], ["id"])
        batch.create_index("ix_tokens_user_id", ["user_id"])
        batch.drop_column("name")
        batch.drop_column("role")
    with op.batch_alter_table("exercises", naming_convention=NAMES) as batch:
        batch.drop_constraint(_owner_key("exercises"), type_="foreignkey")
        batch.create_foreign_key("fk_exercises_owner_id_users", "users", ["owner_id"], ["id"])
    with op.batch_alter_table("submissions", naming_convention=NAMES) as batch:
        batch.drop_constraint(_owner_key("submissions"), type_="foreignkey")
        batch.create_foreign_key("fk_submissions_owner_id_users", "users", ["owner_id"], ["id"])
        batch.add_column(sa.Column("contest_id", sa.Integer, nullable=True))
        batch.create_foreign_key(
            "fk_submissions_contest_id_contests", "contests", ["contest_id"], ["id"]
        )
        batch.add_column(sa.Column("generation", sa.Integer, nullable=False, server_default="0"))
        # the composite indexes below start with these columns
        batch.drop_index("ix_submissions_owner_id")
        batch.drop_index("ix_submissions_exercise")
        for name, columns in SUBMISSION_INDEXES.items():
            batch.create_index(name, columns)


def downgrade() -> None:
    # Users own what their tokens made, and a user may have several tokens: going
    # back would have to pick one token per user and lose the others. Restore a
    # backup taken before the upgrade instead.
    raise NotImplementedError("0002 cannot be undone: restore a backup from before it")
