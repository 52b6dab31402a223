"""The database connection and its schema migrations (Alembic, applied on start)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_420_001  # PostgreSQL advisory lock key: one migrator at a time


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def engine_url(url: str) -> str:
    """Map plain `postgresql://` URLs to the installed psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets the API read while a worker writes; the timeout waits out writers.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Keyed(Protocol):
    """A row with an integer key of its own."""

    id: int


Row = TypeVar("Row", bound=Keyed)


class Database:
    """An engine and its sessions."""

    def __init__(self, url: str) -> None:
        url = engine_url(url)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def insert(self, row: Keyed) -> int:
        """Store a new row; its id."""
        with self.session() as session:
            session.add(row)
            session.flush()
            return row.id

    def get(self, kind: type[Row], key: int) -> Row | None:
        with self.session() as session:
            return session.get(kind, key)

    def delete(self, kind: type[Keyed], key: int) -> None:
        """Forget a row, if it is there."""
        with self.session() as session:
            row = session.get(kind, key)
            if row is not None:
                session.delete(row)

    def migrate(self) -> None:
        """Bring the schema to the newest migration, one process at a time."""
        with self._migration_lock(), self.engine.connect() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """A PostgreSQL advisory lock, or a lock file beside a SQLite database."""
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database:
            with open(f"{database}.migrate-lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                yield
        elif self.engine.dialect.name == "postgresql":
            with self.engine.connect() as connection:
                key = {"key": MIGRATION_LOCK}
                connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
        else:
            yield

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()
