"""Users and their tokens: one user per name, roles, listing and revoking, the migration."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from service_support import JUDGE, SOURCES, Api, temporary_database
from sqlalchemy import text

from judge_api.tokens import Role, create_token, find_caller
from runners.store import users
from runners.store.database import MIGRATIONS, Database

SUM = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}


def test_a_name_is_one_user_whatever_its_tokens(db: Database) -> None:
    first = create_token(db, "alice", Role.AUTHOR)
    second = create_token(db, "alice")  # the role given the first time stands
    one, two = find_caller(db, first), find_caller(db, second)
    assert one is not None and two is not None
    assert (one.id, one.name, one.role) == (two.id, "alice", Role.AUTHOR)
    assert one.token_id != two.token_id
    create_token(db, "alice", Role.ADMIN)  # given again: it changes
    again = find_caller(db, first)
    assert again is not None and again.role is Role.ADMIN
    fresh = find_caller(db, create_token(db, "bob"))
    assert fresh is not None and fresh.role is Role.USER and fresh.id != one.id


def test_tokens_are_listed_without_secrets_and_revoked_at_once(db: Database) -> None:
    secret = create_token(db, "alice")
    create_token(db, "bob")
    listed = users.list_tokens(db)
    assert [(token.user, token.role) for token in listed] == [("alice", "user"), ("bob", "user")]
    assert all(token.last_used_at is None for token in listed)
    assert find_caller(db, secret) is not None  # using it marks it used
    (alice,) = users.list_tokens(db, "alice")
    assert alice.last_used_at is not None
    revoked = users.revoke(db, alice.id)
    assert revoked is not None and revoked.user == "alice"
    assert find_caller(db, secret) is None
    assert users.revoke(db, alice.id) is None
    assert users.find_user(db, "alice") is not None  # the user stays, with what it owns


def _at(url: str, revision: str) -> None:
    """Bring the database at `url` to `revision` (the service only ever goes to head)."""
    database = Database(url)
    with database.engine.connect() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def old_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, at revision 0001."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        _at(url, "0001")
        yield url
    else:
        with temporary_database("judge_old") as url:
            _at(url, "0001")
            yield url


OLD_TOKENS = [(1, "alice", "admin"), (2, "alice", "user"), (3, "bob", "author")]


def test_the_migration_makes_each_old_token_its_own_user(old_url: str) -> None:
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    old = Database(old_url)
    with old.engine.begin() as connection:
        for token_id, name, role in OLD_TOKENS:  # ids 1, 2, 3 from a fresh sequence
            connection.execute(
                text("INSERT INTO tokens (name, role, digest, created_at)"
                     " VALUES (:name, :role, :digest, :at)"),
                {"name": name, "role": role, "digest": users.digest(f"{name}{token_id}"),
                 "at": moment},
            )  # fmt: skip
        connection.execute(
            text("INSERT INTO exercises (slug, title, public, languages, owner_id, updated_at)"
                 " VALUES ('sum', 'Sum', '{}', '[]', 3, :at)"), {"at": moment},
        )  # fmt: skip
        connection.execute(
            text("INSERT INTO submissions (exercise, language, source, owner_id, status, tests,"
                 " attempt, failures, created_at, enqueued_at)"
                 " VALUES ('sum', 'python', :source, 2, 'done', '[]', 1, 0, :at, :at)"),
            {"source": b"print(1)", "at": moment},
        )  # fmt: skip
    old.close()
    db = Database(old_url)
    db.migrate()
    callers = [find_caller(db, f"{name}{token_id}") for token_id, name, _ in OLD_TOKENS]
    assert [(c.id, c.name, c.role.value) for c in callers if c] == [
        (1, "alice", "admin"), (2, "alice-2", "user"), (3, "bob", "author"),
    ]  # fmt: skip
    with db.engine.connect() as connection:
        owners = connection.execute(
            text("SELECT u.name FROM submissions s JOIN users u ON u.id = s.owner_id"
                 " UNION ALL SELECT u.name FROM exercises e JOIN users u ON u.id = e.owner_id")
        ).scalars().all()  # fmt: skip
    assert owners == ["alice-2", "bob"]
    newcomer = find_caller(db, create_token(db, "carol"))  # the id sequence moved past the old ids
    assert newcomer is not None and newcomer.id == 4
    assert users.revoke(db, 2) is not None  # no longer referenced by what alice-2 owns
    db.close()


def judge(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JUDGE_DATA_DIR": str(tmp_path)}
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL"):
        env.pop(name, None)
    return subprocess.run([str(JUDGE), *args], env=env, capture_output=True, text=True)


def test_tokens_commands_create_list_and_revoke(tmp_path: Path) -> None:
    assert judge(tmp_path, "tokens", "create", "alice", "--role", "admin").returncode == 0
    again = judge(tmp_path, "tokens", "create", "alice")
    assert again.returncode == 0 and "(role admin)" in again.stdout
    judge(tmp_path, "tokens", "create", "bob")
    listed = judge(tmp_path, "tokens", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    tokens = json.loads(listed.stdout)
    assert [(t["id"], t["user"], t["role"], t["last_used_at"]) for t in tokens] == [
        (1, "alice", "admin", None), (2, "alice", "admin", None), (3, "bob", "user", None),
    ]  # fmt: skip
    secret = again.stdout.strip().splitlines()[-1]
    assert secret not in listed.stdout and all(t["created_at"] for t in tokens)
    table = judge(tmp_path, "tokens", "list", "bob").stdout.splitlines()
    assert table[0].split() == ["ID", "USER", "ROLE", "CREATED", "LAST", "USED"]
    assert len(table) == 2 and table[1].split()[:3] == ["3", "bob", "user"]
    revoked = judge(tmp_path, "tokens", "revoke", "2")
    assert revoked.returncode == 0 and "Token 2 of alice revoked." in revoked.stdout
    assert find_caller(Database(f"sqlite:///{tmp_path / 'judge.db'}"), secret) is None
    unknown = judge(tmp_path, "tokens", "revoke", "2")
    assert unknown.returncode == 1 and "no token 2" in unknown.stderr
    bad = judge(tmp_path, "tokens", "revoke", "two")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_me_and_a_second_token_of_the_same_user(api: Api) -> None:
    first = api.new_token(name="dora")
    second = api.new_token(name="dora")
    assert api.client.get("/api/v1/me", headers=second).json() == {"name": "dora", "role": "user"}
    created = api.client.post("/api/v1/submissions?wait=true", json=SUM, headers=first).json()
    shown = api.client.get(f"/api/v1/submissions/{created['id']}", headers=second)
    assert shown.status_code == 200 and shown.json()["user"] == "dora"
    assert api.client.get("/api/v1/me").status_code == 401


def test_a_revoked_token_is_refused_at_the_next_request(api: Api) -> None:
    headers = api.new_token(name="erin")
    assert api.client.get("/api/v1/me", headers=headers).status_code == 200
    (token,) = users.list_tokens(api.service.db, "erin")
    users.revoke(api.service.db, token.id)
    assert api.client.get("/api/v1/me", headers=headers).status_code == 401
