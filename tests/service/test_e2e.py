"""End to end: real `judge` processes, real Redis and PostgreSQL, real sandboxes.

Nothing accepted is lost: not when a worker is SIGKILLed mid-judge, not when
Redis restarts empty, not when the one-box server is killed.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import psycopg
import pytest
from service_support import SLOW_SOURCE, SOURCES, Deployment, RedisServer, wait_done

pytestmark = pytest.mark.slow


def submit(deployment: Deployment, headers: dict[str, str], body: dict[str, str]) -> int:
    response = httpx.post(f"{deployment.base}/submissions", json=body, headers=headers, timeout=60)
    assert response.status_code == 202, response.text
    submission_id: int = response.json()["id"]
    return submission_id


def slow(deployment: Deployment, headers: dict[str, str], count: int) -> list[int]:
    body = {"exercise": "slow", "language": "python", "source": SLOW_SOURCE}
    return [submit(deployment, headers, body) for _ in range(count)]


def wait_judging(
    deployment: Deployment, headers: dict[str, str], ids: list[int], count: int
) -> None:
    """Wait until `count` of the submissions are being judged."""
    deadline = time.monotonic() + 120
    with httpx.Client(base_url=deployment.base, headers=headers, timeout=30) as client:
        while time.monotonic() < deadline:
            statuses = [client.get(f"/submissions/{i}").json()["status"] for i in ids]
            if statuses.count("judging") >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"never {count} judging at once: {statuses}")


@pytest.fixture
def api_only(
    deployment: Deployment, redis_server: RedisServer, pg_url: str
) -> Iterator[Deployment]:
    """`judge api` over Redis and PostgreSQL, no worker yet; stopped before Redis is."""
    deployment.env.update(
        JUDGE_REDIS_URL=redis_server.url,
        JUDGE_DATABASE_URL=pg_url,
        JUDGE_REDELIVERY_AFTER="2",
        JUDGE_REQUEUE_AFTER="6",
    )
    deployment.serve("api")
    yield deployment
    deployment.stop()


@pytest.fixture
def cluster(api_only: Deployment) -> Deployment:
    """`judge api` and two `judge worker` processes over Redis and PostgreSQL."""
    api_only.run("worker")
    api_only.run("worker")
    return api_only


def attempts(pg_url: str, ids: list[int]) -> list[int]:
    with psycopg.connect(pg_url) as connection:
        rows = connection.execute(
            "SELECT attempt FROM submissions WHERE id = ANY(%s) ORDER BY id", (ids,)
        ).fetchall()
    return [row[0] for row in rows]


def test_fifty_concurrent_submissions_in_three_languages(cluster: Deployment) -> None:
    headers = cluster.token()
    cases = [(language, verdict) for language, verdict in SOURCES] * 9  # 54 submissions
    bodies = [
        {"exercise": "sum", "language": language, "source": SOURCES[language, verdict]}
        for language, verdict in cases
    ]
    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(lambda body: submit(cluster, headers, body), bodies))
    results = wait_done(cluster.base, headers, ids, timeout=240)
    verdicts = [results[i]["verdict"] for i in ids]
    assert verdicts == [verdict for _, verdict in cases], cluster.logs()
    assert all(results[i]["status"] == "done" for i in ids)
    metrics = httpx.get(f"{cluster.base}/metrics").text
    assert 'judge_queue_depth{status="queued"} 0' in metrics


def test_a_worker_killed_mid_judge_loses_nothing(api_only: Deployment, pg_url: str) -> None:
    headers = api_only.token()
    ids = slow(api_only, headers, 4)
    doomed = api_only.run("worker")
    wait_judging(api_only, headers, ids, 1)  # only the doomed worker can be judging
    doomed.kill(signal.SIGKILL)
    api_only.run("worker")
    api_only.run("worker")
    results = wait_done(api_only.base, headers, ids, timeout=180)
    assert [results[i]["verdict"] for i in ids] == ["AC"] * 4, api_only.logs()
    assert max(attempts(pg_url, ids)) >= 2  # judged again after the kill


def test_a_redis_restart_loses_nothing(cluster: Deployment, redis_server: RedisServer) -> None:
    headers = cluster.token()
    ids = slow(cluster, headers, 8)  # more than the 4 judging threads: some wait in Redis
    wait_judging(cluster, headers, ids, 2)
    redis_server.stop()  # without persistence: the queued messages are gone
    body = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
    refused = httpx.post(f"{cluster.base}/submissions", json=body, headers=headers, timeout=60)
    assert refused.status_code == 503, refused.text
    assert httpx.get(f"{cluster.base}/health").status_code == 503
    redis_server.start()
    results = wait_done(cluster.base, headers, ids, timeout=180)
    assert [results[i]["verdict"] for i in ids] == ["AC"] * 8, cluster.logs()
    waited = httpx.post(
        f"{cluster.base}/submissions?wait=true", json=body, headers=headers, timeout=60
    ).json()
    assert waited["verdict"] == "AC", cluster.logs()


def test_roles_and_wait_mode_across_processes(cluster: Deployment) -> None:
    user, admin = cluster.token("user"), cluster.token("admin")
    body = {"exercise": "sum", "language": "c", "source": SOURCES["c", "WA"]}
    response = httpx.post(
        f"{cluster.base}/submissions?wait=true", json=body, headers=user, timeout=60
    )
    assert response.status_code == 202, response.text
    judged: dict[str, Any] = response.json()
    assert (judged["status"], judged["verdict"], judged["score"]) == ("done", "WA", 0.0)
    url = f"{cluster.base}/submissions/{judged['id']}"
    assert httpx.get(url, headers=admin).json()["verdict"] == "WA"
    assert httpx.get(url, headers=cluster.token("user")).status_code == 403
    assert httpx.get(url).status_code == 401


def test_one_box_server_requeues_what_it_had_accepted(deployment: Deployment) -> None:
    server = deployment.serve()
    headers = deployment.token()
    ids = slow(deployment, headers, 4)
    wait_judging(deployment, headers, ids, 1)
    server.kill(signal.SIGKILL)
    deployment.serve()  # same SQLite file: picks up what was queued or judging
    results = wait_done(deployment.base, headers, ids, timeout=180)
    assert [results[i]["verdict"] for i in ids] == ["AC"] * 4, deployment.logs()
