"""API tokens: random secrets handed out once, stored as their sha256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from runners.store.database import Database, now
from runners.store.models import TokenRow


class Role(StrEnum):
    USER = "user"  # submits, sees its own submissions
    AUTHOR = "author"  # + manages its own exercises
    ADMIN = "admin"  # everything


@dataclass(frozen=True)
class Caller:
    """Who is calling the API."""

    id: int
    name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(db: Database, name: str, role: Role) -> str:
    """Store a new token and return its secret (the only time it is known)."""
    secret = secrets.token_urlsafe(32)
    with db.session() as session:
        session.add(TokenRow(name=name, role=role.value, digest=digest(secret), created_at=now()))
    return secret


def find_caller(db: Database, secret: str) -> Caller | None:
    """The owner of a token secret, or None when no such token exists."""
    with db.session() as session:
        token = session.scalar(select(TokenRow).where(TokenRow.digest == digest(secret)))
        if token is None:
            return None
        return Caller(id=token.id, name=token.name, role=Role(token.role))
