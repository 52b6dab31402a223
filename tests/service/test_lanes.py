"""Lanes, judged by one thread so the order shows: contests before practice, new submissions
before rejudges, and a user's tenth waiting submission after another user's first."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dramatiq.brokers.redis import RedisBroker
from service_support import SLOW_SOURCE, SOURCES, Api, RedisServer, open_contest, service_settings

from judge_api.tokens import Role
from runners.judging.results import SubmissionResult
from runners.judging.verdict import Verdict
from runners.queue.broker import make_broker
from runners.queue.client import SubmissionQueue
from runners.queue.lanes import Lane
from runners.queue.sweeper import sweep
from runners.store import submissions
from runners.store.database import Database

QUICK = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
SLOW = {"exercise": "slow", "language": "python", "source": SLOW_SOURCE}  # 2 s: the rest waits
AC = SubmissionResult(Verdict.AC, 100.0, 100.0, None, [])


def submit(api: Api, headers: dict[str, str], body: dict[str, str]) -> int:
    response = api.client.post("/api/v1/submissions", json=body, headers=headers)
    assert response.status_code == 202, response.text
    submission_id: int = response.json()["id"]
    return submission_id


def judged_order(api: Api, ids: list[int]) -> list[int]:
    """The ids in the order they were judged, once all are."""
    admin = api.auth(Role.ADMIN)
    for submission_id in ids:
        for _ in range(1200):
            body = api.client.get(f"/api/v1/submissions/{submission_id}", headers=admin).json()
            if body["status"] == "done":
                break
            time.sleep(0.1)
    judged = {i: api.client.get(f"/api/v1/submissions/{i}", headers=admin).json() for i in ids}
    assert all(body["verdict"] == "AC" for body in judged.values()), judged
    return sorted(ids, key=lambda i: datetime.fromisoformat(judged[i]["judged_at"]))


def test_a_users_tenth_submission_goes_after_another_users_first(
    make_api: Callable[..., Api],
) -> None:
    api = make_api(workers=1)
    ann, bob = api.new_token(name="ann"), api.new_token(name="bob")
    first = submit(api, ann, SLOW)
    more = [submit(api, ann, QUICK) for _ in range(9)]
    bobs = submit(api, bob, QUICK)
    assert judged_order(api, [first, *more, bobs]) == [first, bobs, *more]


def test_contests_go_first_and_rejudges_last(make_api: Callable[..., Api]) -> None:
    api = make_api(workers=1)
    practice, other, racer = (api.new_token(name=name) for name in ("pat", "quinn", "rae"))
    earlier = submit(api, other, QUICK)
    judged_order(api, [earlier])
    start, end = datetime.now(UTC) - timedelta(minutes=1), datetime.now(UTC) + timedelta(hours=1)
    body = {"slug": "cup", "title": "Cup", "exercises": ["sum"], "format": "icpc",
            "start": start.isoformat(), "end": end.isoformat()}  # fmt: skip
    assert api.client.post("/api/v1/contests", json=body, headers=api.auth(Role.ADMIN)).is_success
    assert api.client.post("/api/v1/contests/cup/join", headers=racer).status_code == 204
    slow = submit(api, practice, SLOW)  # judged at once: the others wait behind it
    practices = [submit(api, practice, QUICK) for _ in range(2)]
    url = f"/api/v1/submissions/{earlier}/rejudge"
    rejudge = api.client.post(url, headers=api.auth(Role.ADMIN))
    assert rejudge.json() == {"count": 1}
    others = submit(api, other, QUICK)
    contest = [submit(api, racer, {**QUICK, "contest": "cup"}) for _ in range(2)]
    order = judged_order(api, [slow, *practices, earlier, others, *contest])
    assert order == [slow, *contest, others, *practices, earlier]


def test_what_the_sweeper_enqueues_again_goes_to_the_first_lane_of_its_kind(
    db: Database, redis_server: RedisServer, exercises: Path, tmp_path: Path
) -> None:
    """A contest submission the queue lost does not fall behind practice, nor a rejudge ahead."""
    cup = open_contest(db, started=timedelta(minutes=1), ends_in=timedelta(hours=1))
    owner = cup.owner_id
    in_contest = submissions.create(db, "sum", "python", b"", owner, cup.id)
    practice = submissions.create(db, "sum", "python", b"", owner)
    rejudged = submissions.create(db, "sum", "python", b"", owner)
    claim = submissions.claim(db, rejudged, 60.0)
    assert claim is not None and submissions.finish(db, claim, AC)
    assert submissions.rejudge_submission(db, rejudged)
    config = service_settings(tmp_path, exercises, redis_url=redis_server.url)
    broker = make_broker(config)
    assert sweep(db, SubmissionQueue(broker), older_than=0.0) == 3  # as if Redis lost them
    queued = {lane: queued_ids(broker, lane) for lane in Lane}
    broker.close()
    assert queued == {
        Lane.CONTEST: [in_contest], Lane.CONTEST_MORE: [], Lane.PRACTICE: [practice],
        Lane.PRACTICE_MORE: [], Lane.REJUDGE: [rejudged],
    }  # fmt: skip


def queued_ids(broker: RedisBroker, lane: Lane) -> list[int]:
    """The submission ids waiting in a lane's Redis list, as dramatiq stored them."""
    name = f"judge:{lane.queue}"
    client = broker.client
    return [
        json.loads(client.hget(f"{name}.msgs", message_id))["args"][0]
        for message_id in client.lrange(name, 0, -1)
    ]
