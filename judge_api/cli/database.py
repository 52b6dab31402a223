"""The database, opened (and migrated) for a command, with a clear error when it cannot be."""

from __future__ import annotations

import sys

from sqlalchemy.exc import SQLAlchemyError

from runners.settings import Settings
from runners.store.database import Database


def open_database(config: Settings) -> Database | None:
    """The migrated database; None after telling why on stderr."""
    try:
        db = Database(config.database_url)
        db.migrate()
    except SQLAlchemyError as error:
        cannot_use(config, error)
        return None
    return db


def cannot_use(config: Settings, error: SQLAlchemyError) -> None:
    print(f"judge: cannot use the database {config.database_url}: {error}", file=sys.stderr)
