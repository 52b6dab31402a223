"""The service's commands: tokens, exercises sync, and clear usage errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from service_support import JUDGE

from judge_api.tokens import Role, find_caller
from runners.store.database import Database


def judge(tmp_path: Path, exercises: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JUDGE_DATA_DIR": str(tmp_path), "JUDGE_EXERCISES_DIR": str(exercises)}
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL"):
        env.pop(name, None)
    return subprocess.run([str(JUDGE), *args], env=env, capture_output=True, text=True)


def test_tokens_create_prints_a_working_token_last(tmp_path: Path, exercises: Path) -> None:
    done = judge(tmp_path, exercises, "tokens", "create", "bob", "--role", "author")
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip().splitlines()[-1]
    caller = find_caller(Database(f"sqlite:///{tmp_path / 'judge.db'}"), secret)
    assert caller is not None and (caller.name, caller.role) == ("bob", Role.AUTHOR)


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", "tab\there", "x" * 201])
def test_tokens_create_refuses_names_the_api_could_not_reach(
    tmp_path: Path, exercises: Path, name: str
) -> None:
    done = judge(tmp_path, exercises, "tokens", "create", name)
    assert done.returncode == 2 and "NAME must be one line" in done.stderr


def test_tokens_create_refuses_unknown_roles(tmp_path: Path, exercises: Path) -> None:
    done = judge(tmp_path, exercises, "tokens", "create", "bob", "--role", "king")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_exercises_sync_reports_what_it_synced(tmp_path: Path, exercises: Path) -> None:
    done = judge(tmp_path, exercises, "exercises", "sync")
    assert done.returncode == 0, done.stderr
    assert f"2 exercises synced from {exercises}" in done.stdout


def test_api_and_worker_need_redis(tmp_path: Path, exercises: Path) -> None:
    for command in ("api", "worker"):
        done = judge(tmp_path, exercises, command)
        assert done.returncode == 2 and "JUDGE_REDIS_URL is not set" in done.stderr
        assert "Traceback" not in done.stderr
