"""Fixtures of the service tests: real databases, a private Redis, real `judge` processes.

PostgreSQL is the machine's cluster (a fresh database per session, dropped
after); Redis is a `redis-server` of our own on a free port, so tests may
restart it. Nothing here skips: a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from service_support import (
    SLOW_TOML,
    SUM_TOML,
    Api,
    Deployment,
    RedisServer,
    service_settings,
    temporary_database,
    write_exercise,
)

from judge_api.app import create_app
from judge_api.service import Service
from judge_api.tokens import Role, create_token
from runners.store.database import Database

# In an order that deletes what refers to a row before the row.
TABLES = ("runs", "submissions", "contest_entrants", "contests", "exercises", "tokens", "users")


@pytest.fixture(scope="session")
def exercises(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exercises folder: `sum` (python, c, rust; 2 tests) and `slow` (python; 2 tests)."""
    root = tmp_path_factory.mktemp("exercises")
    write_exercise(root, "sum", SUM_TOML)
    write_exercise(root, "slow", SLOW_TOML)
    return root


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this session, as a plain `postgresql://` URL."""
    with temporary_database("judge_service") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'judge.db'}")
    else:
        database = Database(request.getfixturevalue("pg_url"))
    database.migrate()
    yield database
    with database.engine.begin() as connection:
        for table in TABLES:
            connection.exec_driver_sql(f"DELETE FROM {table}")
    database.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_api(tmp_path: Path, exercises: Path) -> Iterator[Callable[..., Api]]:
    """Start an embedded service in this process; keyword arguments change its settings."""
    started: list[TestClient[Any]] = []

    def make(**changes: Any) -> Api:
        root = tmp_path / "exercises"
        if not root.exists():
            shutil.copytree(exercises, root)
        service = Service.open(service_settings(tmp_path, root, **changes), embedded=True)
        client: TestClient[Any] = TestClient(create_app(service), timeout=60)
        client.__enter__()
        started.append(client)
        tokens = {role: create_token(service.db, role.value, role) for role in Role}
        return Api(client, service, tokens)

    yield make
    for client in started:
        client.__exit__(None, None, None)


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


@pytest.fixture
def deployment(tmp_path: Path, exercises: Path) -> Iterator[Deployment]:
    """An environment for `judge` processes: own data folder, SQLite, embedded queue."""
    env = {
        **os.environ,
        "JUDGE_DATA_DIR": str(tmp_path / "data"),
        "JUDGE_EXERCISES_DIR": str(exercises),
        "JUDGE_RATE_LIMIT": "10000",
        "JUDGE_WORKERS": "2",
    }
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL"):
        env.pop(name, None)
    deployment = Deployment(env, tmp_path)
    yield deployment
    deployment.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, a new PostgreSQL database (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'judge.db'}"
    else:
        with temporary_database("judge_api") as url:
            yield url


@pytest.fixture
def any_api(database_url: str, make_api: Callable[..., Api]) -> Api:
    """An embedded service on SQLite, then on PostgreSQL (stopped before that is dropped)."""
    return make_api(database_url=database_url)
