"""Users and their API tokens: a user has a unique name, a role and any number of tokens.

Only the sha256 of a token's secret is kept. Every request looks its token
up in the database (one indexed join), so revoking a token (deleting its
row) takes effect at the next request in every API process: there is no
cache to invalidate. `last_used_at` is written at most once a minute per
token, so that reading a token is not a write on every request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from runners.store.database import Database, aware, now
from runners.store.models import TokenRow, UserRow

DEFAULT_ROLE = "user"
NAME_MAX = 200  # characters of a user's name, as the database keeps them
NAME = re.compile(rf"[^\x00-\x1f\x7f]{{1,{NAME_MAX}}}")  # one line of text, not empty
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class Holder:
    """The user holding a token."""

    user_id: int
    name: str
    role: str
    token_id: int


@dataclass(frozen=True)
class TokenInfo:
    """A token as `judge tokens list` shows it: never the secret."""

    id: int
    user: str
    role: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    secret: str  # shown once, never stored
    token_id: int
    role: str  # the user's role after this call


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(db: Database, name: str, role: str | None) -> UserRow:
    """The user called `name`, made if new; `role` (when given) replaces its role."""
    for _ in range(2):  # a concurrent call may create the same user between our two statements
        try:
            with db.session() as session:
                user = session.scalar(select(UserRow).where(UserRow.name == name))
                if user is None:
                    user = UserRow(name=name, role=role or DEFAULT_ROLE, created_at=now())
                    session.add(user)
                elif role is not None:
                    user.role = role
                session.flush()
                return user
        except IntegrityError:
            continue
    raise RuntimeError(f"could not create user {name!r}")


def add_token(db: Database, name: str, role: str | None = None) -> NewToken:
    """A new token for user `name` (created with `role`, or `user`, when new)."""
    user = _user(db, name, role)
    secret = secrets.token_urlsafe(32)
    with db.session() as session:
        token = TokenRow(user_id=user.id, digest=digest(secret), created_at=now())
        session.add(token)
        session.flush()
        return NewToken(secret, token.id, user.role)


def holder(db: Database, secret: str) -> Holder | None:
    """Who holds the token `secret`, or None when no such token exists (or it was revoked)."""
    moment = now()
    with db.session() as session:
        found = session.execute(
            select(TokenRow.id, TokenRow.last_used_at, UserRow.id, UserRow.name, UserRow.role)
            .join(UserRow, TokenRow.user_id == UserRow.id)
            .where(TokenRow.digest == digest(secret))
        ).one_or_none()
        if found is None:
            return None
        token_id, last_used, user_id, name, role = found
        if last_used is None or aware(last_used) < moment - LAST_USED_PRECISION:
            session.execute(
                update(TokenRow).where(TokenRow.id == token_id).values(last_used_at=moment)
            )
        return Holder(user_id, name, role, token_id)


def list_tokens(db: Database, name: str | None = None) -> list[TokenInfo]:
    """Every token (of user `name` only, when given), oldest first."""
    query = (
        select(TokenRow, UserRow.name, UserRow.role)
        .join(UserRow, TokenRow.user_id == UserRow.id)
        .order_by(TokenRow.id)
    )
    if name is not None:
        query = query.where(UserRow.name == name)
    with db.session() as session:
        return [
            TokenInfo(token.id, user, role, token.created_at, token.last_used_at)
            for token, user, role in session.execute(query)
        ]


def revoke(db: Database, token_id: int) -> TokenInfo | None:
    """Delete a token; what it was, or None if there is no such token."""
    with db.session() as session:
        found = session.execute(
            select(TokenRow, UserRow.name, UserRow.role)
            .join(UserRow, TokenRow.user_id == UserRow.id)
            .where(TokenRow.id == token_id)
        ).one_or_none()
        if found is None:
            return None
        token, user, role = found
        session.execute(delete(TokenRow).where(TokenRow.id == token_id))
        return TokenInfo(token.id, user, role, token.created_at, token.last_used_at)


def find_user(db: Database, name: str) -> UserRow | None:
    with db.session() as session:
        return session.scalar(select(UserRow).where(UserRow.name == name))
