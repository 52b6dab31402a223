"""`POST /runs` goes through the queue and the workers: with every sandbox busy running,
the API still answers health checks, reads and new submissions at once, and a new
submission is judged before the runs queued earlier."""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import msgspec
from litestar.testing import TestClient
from service_support import SOURCES, Deployment, service_settings, wait_done
from sqlalchemy import func, select

from judge_api.app import create_app
from judge_api.service import Service
from judge_api.tokens import Role, create_token
from runners.store import runs
from runners.store.database import Database
from runners.store.models import RunRow

SPIN = {"language": "python", "source": "while True: pass", "limits": {"time": 10}}
RUNS = 45  # more than the API's 40 threads, which used to wait for a sandbox each


def post_run(base: str, headers: dict[str, str]) -> None:
    """A run that spins for 10 s of CPU: its answer, if any, comes after the test."""
    with contextlib.suppress(httpx.TransportError):  # the server stopped first
        httpx.post(f"{base}/runs", json=SPIN, headers=headers, timeout=600)


def count_runs(database: Database, status: str | None = None) -> int:
    query = select(func.count()).select_from(RunRow)
    if status is not None:
        query = query.where(RunRow.status == status)
    with database.session() as session:
        return session.scalar(query) or 0


def wait_stored(database: Database, count: int) -> None:
    """Wait until `count` runs are stored: every request is in."""
    while count_runs(database) < count:
        time.sleep(0.1)


def test_busy_sandboxes_leave_the_api_answering(deployment: Deployment) -> None:
    deployment.env["JUDGE_WORKERS"] = "1"
    server = deployment.serve()
    headers = deployment.token("admin")
    database = Database(f"sqlite:///{deployment.env['JUDGE_DATA_DIR']}/judge.db")
    with ThreadPoolExecutor(RUNS) as pool:
        spinning: list[Future[None]] = [
            pool.submit(post_run, deployment.base, headers) for _ in range(RUNS)
        ]
        wait_stored(database, RUNS)
        with httpx.Client(base_url=deployment.base, headers=headers, timeout=600) as client:
            assert client.get("/health").status_code == 200
            assert client.get("/exercises/sum").status_code == 200
            body = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
            submitted = client.post("/submissions", json=body)
            assert submitted.status_code == 202 and submitted.json()["status"] == "queued"
            assert client.get(f"/submissions/{submitted.json()['id']}").status_code == 200
            assert not any(run.done() for run in spinning), "the API waited for a run to end"
            judged = wait_done(deployment.base, headers, [submitted.json()["id"]], timeout=300)
        assert judged[submitted.json()["id"]]["verdict"] == "AC"
        assert count_runs(database, "done") <= 2  # judged before the runs queued earlier
        server.kill(signal.SIGKILL)  # the runs would take 45 x 10 s of CPU
    database.close()


def test_a_run_is_stored_run_by_a_worker_and_reported(tmp_path: Path, exercises: Path) -> None:
    service = Service.open(service_settings(tmp_path, exercises), embedded=True)
    body = {"language": "python", "source": "print(input()[::-1])", "stdin": "abc\n"}
    with TestClient(create_app(service), timeout=60) as client:
        headers = {"Authorization": f"Bearer {create_token(service.db, 'u', Role.USER)}"}
        response = client.post("/api/v1/runs", json=body, headers=headers)
        assert response.status_code == 200, response.text
        assert (response.json()["status"], response.json()["stdout"]) == ("OK", "cba\n")
        with service.db.session() as session:
            (row,) = session.query(RunRow).all()
            assert (row.status, row.attempt) == ("done", 1)
            assert msgspec.to_builtins(row.report) == response.json()


def test_a_run_nobody_runs_is_503_and_dropped(tmp_path: Path, exercises: Path) -> None:
    # `judge api` over an in-process queue and no worker: nothing ever runs it.
    config = dataclasses.replace(service_settings(tmp_path, exercises), wait_max=0.0)
    service = Service.open(config, embedded=False)
    spin = {**SPIN, "limits": {"time": 0.1}}  # waited for 0 s + its 3.1 s of wall time
    with TestClient(create_app(service), timeout=60) as client:
        headers = {"Authorization": f"Bearer {create_token(service.db, 'u', Role.USER)}"}
        response = client.post("/api/v1/runs", json=spin, headers=headers)
        assert response.status_code == 503, response.text
        assert "busy" in response.json()["message"] and response.headers["Retry-After"]
        with service.db.session() as session:
            (row,) = session.query(RunRow).all()
        assert (row.status, row.report) == ("done", None)
        assert runs.claim(service.db, row.id, 60.0) is None  # a worker started later skips it
