"""Contests end to end: two `judge api` and two `judge worker` processes over Redis and
PostgreSQL, 200 users submitting at once, the scoreboard against an independent computation,
live scoreboards on both API processes, a rejudge during a running contest, revocations."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from service_support import (
    SLOW_SOURCE,
    SOURCES,
    SUM_TOML,
    Deployment,
    RedisServer,
    free_port,
    temporary_database,
    wait_done,
    write_exercise,
)

from judge_api.tokens import Role, create_token
from runners.store.database import Database

pytestmark = pytest.mark.slow
USERS = 200
PYTHON = {"AC": SOURCES["python", "AC"], "WA": SOURCES["python", "WA"], "CE": "print(\n"}


@dataclass
class Cluster:
    deployment: Deployment
    pg_url: str
    bases: list[str]  # the two API processes
    admin: dict[str, str] = field(default_factory=dict)

    def url(self, path: str, api: int = 0) -> str:
        return f"{self.bases[api]}{path}"


@pytest.fixture
def cluster(
    deployment: Deployment, redis_server: RedisServer, exercises: Path, tmp_path: Path
) -> Iterator[Cluster]:
    """Two APIs and two workers on a database of their own, with `sum` and `sum2`."""
    root = tmp_path / "contest-exercises"
    shutil.copytree(exercises, root)
    write_exercise(root, "sum2", SUM_TOML)
    with temporary_database("judge_contest") as pg_url:
        deployment.env.update(
            JUDGE_REDIS_URL=redis_server.url, JUDGE_DATABASE_URL=pg_url,
            JUDGE_EXERCISES_DIR=str(root), JUDGE_REQUEUE_AFTER="30",
        )  # fmt: skip
        deployment.serve("api")
        second = free_port()
        bases = [deployment.base, f"http://127.0.0.1:{second}/api/v1"]
        deployment.wait_healthy(deployment.run("api", "--port", str(second)), bases[1])
        deployment.run("worker")
        deployment.run("worker")
        yield Cluster(deployment, pg_url, bases, deployment.token("admin"))
        deployment.stop()


def create_contest(cluster: Cluster, slug: str, exercises: list[str], **extra: Any) -> Any:
    start = datetime.now(UTC) - timedelta(minutes=5)
    body = {"slug": slug, "title": slug, "exercises": exercises, "format": "icpc",
            "start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat(), **extra}
    response = httpx.post(cluster.url("/contests"), json=body, headers=cluster.admin, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


class Watcher(threading.Thread):
    """Follows a scoreboard's server-sent events; keeps the boards it got."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.boards: list[Any] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            self._follow()
        except httpx.HTTPError:  # the server stopped at the end of the test
            if not self.stopped.is_set():
                raise

    def _follow(self) -> None:
        with httpx.stream("GET", self.url, timeout=None) as stream:
            kind = ""
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and kind == "scoreboard":
                    self.boards.append(json.loads(line.split(":", 1)[1]))
                if self.stopped.is_set():
                    return


def wait_for(check: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def plan(user: int) -> list[tuple[str, str]]:
    """What user `user` submits, in order: (exercise, verdict of the source)."""
    return [
        [("sum", "WA"), ("sum", "AC")],
        [("sum", "AC"), ("sum2", "CE"), ("sum2", "AC")],
        [("sum", "WA")],
        [("sum2", "AC")],
        [],
    ][user % 5]


def everything(cluster: Cluster, query: str) -> list[Any]:
    """Every submission of a listing, following the cursor."""
    items: list[Any] = []
    cursor = ""
    while True:
        page = httpx.get(cluster.url(f"/submissions?{query}&limit=100{cursor}"),
                         headers=cluster.admin, timeout=30).json()  # fmt: skip
        items += page["items"]
        if page["next"] is None:
            return items
        cursor = f"&cursor={page['next']}"


def expected_icpc(start: str, names: list[str], exercises: list[str], items: list[Any],
                  penalty: int) -> list[tuple[int, str, int, int]]:  # fmt: skip
    """(rank, user, solved, penalty) computed here, independently of the service."""
    began = datetime.fromisoformat(start)
    mine: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for item in sorted(items, key=lambda item: (item["created_at"], item["id"])):
        mine[item["user"], item["exercise"]].append(item)
    totals = {}
    for name in names:
        solved = minutes = 0
        for exercise in exercises:
            rejected = 0
            for item in mine[name, exercise]:
                if item["verdict"] == "AC":
                    made = datetime.fromisoformat(item["created_at"])
                    solved += 1
                    minutes += int((made - began).total_seconds() // 60) + penalty * rejected
                    break
                if item["verdict"] not in ("CE", "IE"):
                    rejected += 1
        totals[name] = (solved, minutes)
    order = sorted(names, key=lambda name: (-totals[name][0], totals[name][1], name))
    keys = [totals[name] for name in order]
    return [(keys.index(totals[name]) + 1, name, *totals[name]) for name in order]


def test_two_hundred_users_submit_to_one_contest_at_once(cluster: Cluster) -> None:
    contest = create_contest(cluster, "cup", ["sum", "sum2"], penalty=20)
    db = Database(cluster.pg_url)
    names = [f"racer{number:03}" for number in range(USERS)]
    headers = {name: {"Authorization": f"Bearer {create_token(db, name, Role.USER)}"}
               for name in names}  # fmt: skip
    db.close()
    with ThreadPoolExecutor(32) as pool:
        joined = list(pool.map(lambda name: httpx.post(
            cluster.url("/contests/cup/join", api=names.index(name) % 2),
            headers=headers[name], timeout=60).status_code, names))  # fmt: skip
    assert joined == [204] * USERS
    watchers = [Watcher(cluster.url("/contests/cup/scoreboard/events", api=n % 2))
                for n in range(20)]  # fmt: skip
    for watcher in watchers:
        watcher.start()

    def race(number: int) -> list[int]:
        ids = []
        for exercise, verdict in plan(number):
            body = {"exercise": exercise, "language": "python", "source": PYTHON[verdict],
                    "contest": "cup"}  # fmt: skip
            response = httpx.post(cluster.url("/submissions", api=number % 2), json=body,
                                  headers=headers[names[number]], timeout=120)  # fmt: skip
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
        return ids

    with ThreadPoolExecutor(50) as pool:
        ids = [i for made in pool.map(race, range(USERS)) for i in made]
    results = wait_done(cluster.bases[0], cluster.admin, ids, timeout=600)
    assert len(results) == sum(len(plan(n)) for n in range(USERS)), cluster.deployment.logs()
    items = everything(cluster, "contest=cup")
    assert sorted(item["id"] for item in items) == sorted(ids)
    expected = expected_icpc(contest["start"], names, ["sum", "sum2"], items, penalty=20)
    for api in (0, 1):
        board = httpx.get(cluster.url("/contests/cup/scoreboard", api=api), timeout=60).json()
        shown = [(row["rank"], row["user"], row["score"], row["penalty"]) for row in board["rows"]]
        assert shown == expected
    assert expected[0][0] == 1 and len({rank for rank, *_ in expected}) < USERS  # ties shared
    final = httpx.get(cluster.url("/contests/cup/scoreboard"), timeout=60).json()
    wait_for(lambda: all(w.boards and w.boards[-1] == final for w in watchers),
             "a live scoreboard never showed the final board")  # fmt: skip
    for watcher in watchers:
        watcher.stopped.set()


def test_a_rejudge_during_a_running_contest(cluster: Cluster, tmp_path: Path) -> None:
    author = cluster.deployment.token("author")
    files = {"exercise.toml": 'title = "Echo"\nlanguages = ["python"]\n',
             "wording.md": "Echo.\n", "tests/01.in": "hi\n", "tests/01.out": "hi!\n"}  # fmt: skip
    created = httpx.post(cluster.url("/exercises"), json={"slug": "echo", "files": files},
                         headers=author, timeout=30)  # fmt: skip
    assert created.status_code == 201, created.text
    create_contest(cluster, "live", ["echo", "slow"])
    users = [cluster.deployment.token() for _ in range(4)]
    for headers in users:
        assert httpx.post(cluster.url("/contests/live/join"), headers=headers).status_code == 204
    echo = {"exercise": "echo", "language": "python", "source": "print(input())\n",
            "contest": "live"}  # fmt: skip
    ids = [httpx.post(cluster.url("/submissions?wait=true"), json=echo, headers=headers,
                      timeout=60).json()["id"] for headers in users]  # fmt: skip
    before = httpx.get(cluster.url("/contests/live/scoreboard", api=1)).json()
    assert [row["score"] for row in before["rows"]] == [0] * 4
    watcher = Watcher(cluster.url("/contests/live/scoreboard/events", api=1))
    watcher.start()
    slow = {"exercise": "slow", "language": "python", "source": SLOW_SOURCE, "contest": "live"}
    racing = httpx.post(cluster.url("/submissions"), json=slow, headers=users[0]).json()["id"]
    wait_for(lambda: httpx.get(cluster.url(f"/submissions/{racing}"), headers=users[0])
             .json()["status"] == "judging", "the slow submission was never judged")  # fmt: skip
    raced = httpx.post(cluster.url(f"/submissions/{racing}/rejudge"), headers=cluster.admin)
    assert raced.json() == {"count": 1}  # it was judging: judged again from the start
    fixed = {"files": {**files, "tests/01.out": "hi\n"}}
    assert httpx.put(cluster.url("/exercises/echo"), json=fixed, headers=author).is_success
    response = httpx.post(cluster.url("/exercises/echo/rejudge"), headers=author, timeout=60)
    assert (response.status_code, response.json()) == (202, {"count": 4})
    results = wait_done(cluster.bases[0], cluster.admin, [*ids, racing], timeout=300)
    assert [results[i]["verdict"] for i in ids] == ["AC"] * 4, cluster.deployment.logs()
    assert results[racing]["verdict"] == "AC"
    with psycopg.connect(cluster.pg_url) as connection:
        rows = connection.execute(
            "SELECT status, generation, attempt FROM submissions WHERE id = ANY(%s)",
            ([*ids, racing],),
        ).fetchall()
    assert rows == [("done", 1, 1)] * 5  # one result each, from the rejudge
    after = httpx.get(cluster.url("/contests/live/scoreboard")).json()
    assert [row["score"] for row in after["rows"]] == [2, 1, 1, 1]
    wait_for(lambda: watcher.boards and watcher.boards[-1] == after,
             "the live scoreboard missed the rejudge")  # fmt: skip
    watcher.stopped.set()


def test_a_revoked_token_is_refused_by_every_api_process(cluster: Cluster) -> None:
    headers = cluster.deployment.token(name="leaver")
    for api in (0, 1):
        assert httpx.get(cluster.url("/me", api=api), headers=headers).json()["name"] == "leaver"
    listed = cluster.deployment.judge("tokens", "list", "leaver", "--json")
    (token,) = json.loads(listed)
    cluster.deployment.judge("tokens", "revoke", str(token["id"]))
    for api in (0, 1):
        assert httpx.get(cluster.url("/me", api=api), headers=headers).status_code == 401
    assert token["last_used_at"] is not None

