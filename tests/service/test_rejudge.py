"""Rejudges: the state machine's generations (a rejudge racing a judging leaves one result),
and the API that rejudges a submission or a whole exercise."""

from __future__ import annotations

import json
import time
from typing import Any

import msgspec
from service_support import SOURCES, Api

from judge_api.tokens import Role
from runners.judging.results import SubmissionResult, TestResult
from runners.judging.verdict import Verdict
from runners.store import submissions
from runners.store.database import Database

WA = SubmissionResult(Verdict.WA, 0.0, 100.0, None, [])
AC = msgspec.structs.replace(WA, verdict=Verdict.AC, score=100.0)
TEST = TestResult("01", Verdict.WA, 0.01, 1, 0.0, "")


def test_a_rejudge_racing_a_first_judging_leaves_one_result(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    first = submissions.claim(db, submission_id, 60.0)
    assert first is not None and first.generation == 0
    assert [r.id for r in submissions.rejudge_submission(db, submission_id)] == [submission_id]
    # The overtaken judging runs on but writes nothing.
    submissions.add_test(db, first, [TEST])
    submissions.release(db, first, "sandbox broke")
    submissions.count_failure(db, first, "sandbox broke")
    assert not submissions.finish(db, first, WA)
    row = submissions.get(db, submission_id)
    assert row is not None
    assert (row.status, row.generation, row.tests, row.failures, row.verdict) == (
        "queued", 1, [], 0, None,
    )  # fmt: skip
    second = submissions.claim(db, submission_id, 60.0)
    assert second is not None and (second.generation, second.attempt) == (1, 1)
    assert submissions.finish(db, second, AC)
    assert not submissions.finish(db, first, WA)
    row = submissions.get(db, submission_id)
    assert row is not None and (row.status, row.verdict, row.generation) == ("done", "AC", 1)


def test_a_rejudge_replaces_a_result_and_keeps_the_first_latency(db: Database) -> None:
    submission_id = submissions.create(db, "sum", "python", b"", None)
    claim = submissions.claim(db, submission_id, 60.0)
    assert claim is not None and submissions.finish(db, claim, WA)
    judged = submissions.get(db, submission_id)
    assert judged is not None and judged.latency is not None
    submissions.rejudge_submission(db, submission_id)
    again = submissions.claim(db, submission_id, 60.0)
    assert again is not None and submissions.finish(db, again, AC)
    row = submissions.get(db, submission_id)
    assert row is not None and (row.verdict, row.latency) == ("AC", judged.latency)
    assert row.judged_at is not None and judged.judged_at is not None
    assert row.judged_at >= judged.judged_at


def test_queued_submissions_are_left_to_their_first_judging(db: Database) -> None:
    waiting = submissions.create(db, "sum", "python", b"", None)
    done = submissions.create(db, "sum", "python", b"", None)
    other = submissions.create(db, "slow", "python", b"", None)
    for submission_id in (done, other):
        claim = submissions.claim(db, submission_id, 60.0)
        assert claim is not None and submissions.finish(db, claim, WA)
    assert submissions.rejudge_submission(db, waiting) == []
    assert [r.id for r in submissions.rejudge_exercise(db, "sum")] == [done]
    row = submissions.get(db, waiting)
    assert row is not None and (row.status, row.generation) == ("queued", 0)


def wait_status(api: Api, submission_id: int, status: str = "done") -> Any:
    url = f"/api/v1/submissions/{submission_id}"
    for _ in range(600):
        body = api.client.get(url, headers=api.auth(Role.ADMIN)).json()
        if body["status"] == status:
            return body
        time.sleep(0.1)
    raise AssertionError(f"submission {submission_id} never {status}: {body}")


def events(api: Api, submission_id: int) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    url = f"/api/v1/submissions/{submission_id}/events"
    with api.client.stream("GET", url, headers=api.auth(Role.ADMIN)) as stream:
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                found.append((kind, json.loads(line.split(":", 1)[1])))
    return found


ECHO = {
    "exercise.toml": 'title = "Echo"\nlanguages = ["python"]\n',
    "wording.md": "Print what you read.\n",
    "tests/01.in": "hello\n",
    "tests/01.out": "hello!\n",  # wrong: fixed below
}
ECHO_SOURCE = {"exercise": "echo", "language": "python", "source": "print(input())\n"}


def test_an_exercise_fixed_by_its_author_is_rejudged(api: Api) -> None:
    author = api.auth(Role.AUTHOR)
    echo = {"slug": "echo", "files": ECHO}
    created = api.client.post("/api/v1/exercises", json=echo, headers=author)
    assert created.status_code == 201, created.text
    student = api.new_token(name="stu")
    first = api.client.post("/api/v1/submissions?wait=true", json=ECHO_SOURCE, headers=student)
    assert first.json()["verdict"] == "WA"
    fixed = {"files": {**ECHO, "tests/01.out": "hello\n"}}
    assert api.client.put("/api/v1/exercises/echo", json=fixed, headers=author).status_code == 200
    assert api.client.post("/api/v1/exercises/echo/rejudge", headers=student).status_code == 403
    other = api.client.post("/api/v1/exercises/echo/rejudge", headers=api.new_token(Role.AUTHOR))
    assert other.status_code == 403
    assert api.client.post("/api/v1/exercises/nope/rejudge", headers=author).status_code == 404
    response = api.client.post("/api/v1/exercises/echo/rejudge", headers=author)
    assert (response.status_code, response.json()) == (202, {"count": 1})
    judged = wait_status(api, first.json()["id"])
    assert (judged["verdict"], judged["user"]) == ("AC", "stu")
    assert [kind for kind, _ in events(api, judged["id"])] == ["test", "result"]


def test_rejudging_one_submission_is_for_admins_here(api: Api) -> None:
    body = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
    owner = api.new_token(name="own")
    created = api.client.post("/api/v1/submissions?wait=true", json=body, headers=owner).json()
    url = f"/api/v1/submissions/{created['id']}/rejudge"
    assert api.client.post(url, headers=owner).status_code == 403  # `sum` has no author
    response = api.client.post(url, headers=api.auth(Role.ADMIN))
    assert (response.status_code, response.json()) == (202, {"count": 1})
    assert wait_status(api, created["id"])["verdict"] == "AC"
    assert api.client.post("/api/v1/submissions/999/rejudge", headers=owner).status_code == 404
