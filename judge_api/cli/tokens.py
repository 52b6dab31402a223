"""`judge tokens create NAME [--role user|author|admin]`: a new API token, shown once."""

from __future__ import annotations

import argparse
import sys

from judge_api.cli.database import open_database
from judge_api.tokens import Role, create_token
from runners.settings import settings


def create_command(args: argparse.Namespace) -> int:
    if not args.name.strip():
        print("judge tokens create: NAME cannot be empty", file=sys.stderr)
        return 2
    db = open_database(settings())
    if db is None:
        return 1
    secret = create_token(db, args.name, Role(args.role))
    print(f"Token for {args.name} (role {args.role}); it is shown only now:")
    print(secret)
    return 0
