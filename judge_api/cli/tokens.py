"""`judge tokens create|list|revoke`: API tokens of users, the secret shown once."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from judge_api.cli.database import open_database
from runners.settings import settings
from runners.store import users
from runners.store.database import aware


def create_command(args: argparse.Namespace) -> int:
    if not args.name.strip() or not users.NAME.fullmatch(args.name):
        print(
            f"judge tokens create: NAME must be one line of 1 to {users.NAME_MAX} characters",
            file=sys.stderr,
        )
        return 2
    db = open_database(settings())
    if db is None:
        return 1
    token = users.add_token(db, args.name, args.role)
    print(f"Token {token.token_id} for {args.name} (role {token.role}); it is shown only now:")
    print(token.secret)
    return 0


def _when(moment: datetime | None) -> str | None:
    return aware(moment).isoformat(timespec="seconds") if moment else None


def list_command(args: argparse.Namespace) -> int:
    db = open_database(settings())
    if db is None:
        return 1
    tokens = users.list_tokens(db, args.name)
    rows = [
        {"id": token.id, "user": token.user, "role": token.role,
         "created_at": _when(token.created_at), "last_used_at": _when(token.last_used_at)}
        for token in tokens
    ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    table = [("ID", "USER", "ROLE", "CREATED", "LAST USED")]
    table += [
        (str(row["id"]), str(row["user"]), str(row["role"]), str(row["created_at"]),
         str(row["last_used_at"] or "never"))
        for row in rows
    ]  # fmt: skip
    widths = [max(len(line[column]) for line in table) for column in range(len(table[0]))]
    for line in table:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


def revoke_command(args: argparse.Namespace) -> int:
    db = open_database(settings())
    if db is None:
        return 1
    token = users.revoke(db, args.id)
    if token is None:
        print(f"judge tokens revoke: no token {args.id}", file=sys.stderr)
        return 1
    print(f"Token {token.id} of {token.user} revoked.")
    return 0
