"""`judge exercises sync`: make the database's exercises match the exercises folder."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from judge_api import catalog
from runners.settings import settings
from runners.store.database import Database


def add_sync_parser(actions: Any) -> None:
    """Add `sync` to the subparsers of `judge exercises`."""
    parser = actions.add_parser("sync", help="sync the exercises folder into the database")
    parser.set_defaults(handler=sync_command)


def sync_command(_args: argparse.Namespace) -> int:
    config = settings()
    try:
        db = Database(config.database_url)
        db.migrate()
        report = catalog.sync(db, config.exercises_dir)
    except SQLAlchemyError as error:
        print(f"judge: cannot use the database {config.database_url}: {error}", file=sys.stderr)
        return 1
    print(f"{len(report.synced)} exercises synced from {config.exercises_dir}")
    for slug in report.removed:
        print(f"removed {slug}: its folder is gone")
    for problem in report.errors:
        print(f"not synced: {problem}", file=sys.stderr)
    return 1 if report.errors else 0
