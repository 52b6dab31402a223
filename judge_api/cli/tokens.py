"""`judge tokens create NAME [--role user|author|admin]`: a new API token, shown once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from judge_api.tokens import Role, create_token
from runners.settings import settings
from runners.store.database import Database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tokens", help="manage API tokens")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a token and print it on the last line")
    create.add_argument("name", metavar="NAME", help="who the token is for")
    create.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.USER.value,
        help="default: user",
    )
    create.set_defaults(handler=create_command)


def create_command(args: argparse.Namespace) -> int:
    if not args.name.strip():
        print("judge tokens create: NAME cannot be empty", file=sys.stderr)
        return 2
    config = settings()
    try:
        db = Database(config.database_url)
        db.migrate()
        secret = create_token(db, args.name, Role(args.role))
    except SQLAlchemyError as error:
        print(f"judge: cannot use the database {config.database_url}: {error}", file=sys.stderr)
        return 1
    print(f"Token for {args.name} (role {args.role}); it is shown only now:")
    print(secret)
    return 0
