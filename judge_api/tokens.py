"""Callers of the API: users, their roles and their tokens (stored by runners/store/users.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from runners.store import users
from runners.store.database import Database


class Role(StrEnum):
    USER = "user"  # submits, sees its own submissions
    AUTHOR = "author"  # + manages its own exercises and contests
    ADMIN = "admin"  # everything


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: a user (`id` is the user's), by one of their tokens."""

    id: int
    name: str
    role: Role
    token_id: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def create_token(db: Database, name: str, role: Role | None = None) -> str:
    """A new token of user `name` (made with `role`, else `user`); its secret, shown once.

    An existing user keeps its role unless `role` is given.
    """
    return users.add_token(db, name, role.value if role else None).secret


def find_caller(db: Database, secret: str) -> Caller | None:
    """The holder of a token secret, or None when no such token exists (or it was revoked)."""
    found = users.holder(db, secret)
    if found is None:
        return None
    return Caller(found.user_id, found.name, Role(found.role), found.token_id)
