"""The service's commands: tokens, exercises sync, and clear usage errors."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from service_support import JUDGE, Deployment

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


def test_the_service_stops_on_sigterm_while_a_scoreboard_is_followed(
    deployment: Deployment,
) -> None:
    """Browsers left on a contest page do not hold up a restart: open streams are closed."""
    server = deployment.serve()
    start, end = datetime.now(UTC) - timedelta(minutes=1), datetime.now(UTC) + timedelta(hours=1)
    body = {"slug": "cup", "title": "Cup", "exercises": ["sum"], "format": "icpc",
            "start": start.isoformat(), "end": end.isoformat()}  # fmt: skip
    admin = deployment.token("admin")
    assert httpx.post(f"{deployment.base}/contests", json=body, headers=admin).status_code == 201
    url = f"{deployment.base}/contests/cup/scoreboard/events"
    with httpx.stream("GET", url, timeout=None) as stream:
        lines = stream.iter_lines()
        assert next(line for line in lines if line.startswith("event:")) == "event: scoreboard"
        assert server.process is not None
        server.process.terminate()
        list(lines)  # the stream ends: the server closed it, as it does every stream
    # A liveness bound, not a timing: without the streams ended, the server never stopped.
    assert server.process.wait(60) == -signal.SIGTERM  # uvicorn stops, then dies of the signal
    log = server.log.read_text()
    assert "Application shutdown complete" in log and "Traceback" not in log
