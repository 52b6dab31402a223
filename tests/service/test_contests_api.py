"""Contests over the API in one process: creating, replacing, joining, the refusals of the
contract, and scoreboards (ICPC, IOI, the freeze) checked against the submissions made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from service_support import SOURCES, Api

from judge_api.tokens import Role

PYTHON_AC, PYTHON_WA = SOURCES["python", "AC"], SOURCES["python", "WA"]
HALF = "print(11)\n"  # passes the first of `sum`'s two tests only


def when(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def contest_body(slug: str = "cup", opens: float = -10, closes: float = 60, **changes: Any) -> Any:
    """A contest that starts `opens` minutes from now and ends `closes` minutes from now."""
    body = {"slug": slug, "title": "Cup", "exercises": ["sum", "slow"], "start": when(opens),
            "end": when(closes), "format": "icpc"}  # fmt: skip
    return {**body, **changes}


def terms(**changes: Any) -> Any:
    """The body of a PUT: a contest without its slug."""
    return {k: v for k, v in contest_body(**changes).items() if k != "slug"}


def create(api: Api, body: Any, status: int = 201) -> Any:
    response = api.client.post("/api/v1/contests", json=body, headers=api.auth(Role.AUTHOR))
    assert response.status_code == status, response.text
    return response.json()


def submit(api: Api, headers: dict[str, str], source: str, contest: str = "cup",
           exercise: str = "sum", status: int = 202) -> Any:  # fmt: skip
    body = {"exercise": exercise, "language": "python", "source": source, "contest": contest}
    response = api.client.post("/api/v1/submissions?wait=true", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def join(api: Api, headers: dict[str, str], slug: str = "cup", status: int = 204) -> None:
    response = api.client.post(f"/api/v1/contests/{slug}/join", headers=headers)
    assert response.status_code == status, response.text
    if status != 204:
        assert response.json()["message"]


def scoreboard(api: Api, headers: dict[str, str] | None = None, slug: str = "cup") -> Any:
    response = api.client.get(f"/api/v1/contests/{slug}/scoreboard", headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def test_authors_create_read_and_replace_their_contests(api: Api) -> None:
    body = contest_body(penalty=10)
    response = api.client.post("/api/v1/contests", json=body, headers=api.auth())
    assert response.status_code == 403  # users do not create contests
    created = create(api, body)
    assert (created["slug"], created["phase"], created["freeze"], created["penalty"]) == (
        "cup", "running", 0, 10,
    )  # fmt: skip
    assert "exists" in create(api, body, 409)["message"]  # the slug is taken
    assert [c["slug"] for c in api.client.get("/api/v1/contests").json()] == ["cup"]
    assert api.client.get("/api/v1/contests/cup").json()["exercises"] == ["sum", "slow"]
    assert api.client.get("/api/v1/contests/nope").status_code == 404
    replaced = terms(opens=5, title="Cup 2")
    other_author = api.new_token(Role.AUTHOR)
    other = api.client.put("/api/v1/contests/cup", json=replaced, headers=other_author)
    assert other.status_code == 403
    mine = api.client.put("/api/v1/contests/cup", json=replaced, headers=api.auth(Role.AUTHOR))
    assert mine.status_code == 200, mine.text
    assert (mine.json()["title"], mine.json()["phase"]) == ("Cup 2", "upcoming")
    missing = api.client.put("/api/v1/contests/nope", json=replaced, headers=api.auth(Role.ADMIN))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"start": when(90)}, 422),  # start after end
        ({"start": "2030-01-01T09:00:00"}, 400),  # no timezone
        ({"end": "tomorrow"}, 400),  # not a date
        ({"exercises": ["sum", "nope"]}, 404),  # an exercise that does not exist
        ({"exercises": ["sum", "sum"]}, 422),
        ({"exercises": []}, 400),
        ({"format": "codeforces"}, 400),
        ({"freeze": 1000}, 422),  # longer than the contest
        ({"penalty": -1}, 400),
        ({"slug": "Not A Slug"}, 400),  # out of the documented pattern
        ({"prizes": 3}, 400),  # unknown field
    ],
)
def test_bad_contests_are_4xx_with_a_message(api: Api, changes: Any, status: int) -> None:
    assert create(api, contest_body(**changes), status)["message"]


def test_joining_and_the_refusals_of_contest_submissions(api: Api) -> None:
    create(api, contest_body())
    create(api, contest_body("later", opens=30, closes=90))
    ann = api.new_token(name="ann")
    submit(api, ann, PYTHON_AC, contest="nope", status=404)
    submit(api, ann, PYTHON_AC, status=403)  # not registered
    join(api, ann)
    join(api, ann)  # again: 204
    join(api, {}, status=401)
    join(api, ann, "nope", status=404)
    missing = submit(api, ann, PYTHON_AC, exercise="nope", status=404)  # no such exercise
    assert "nope" in missing["message"]
    join(api, ann, "later")
    assert "starts at" in submit(api, ann, PYTHON_AC, contest="later", status=409)["message"]
    judged = submit(api, ann, PYTHON_AC)
    assert (judged["contest"], judged["user"], judged["verdict"]) == ("cup", "ann", "AC")
    ended = terms(opens=-60, closes=-1)
    api.client.put("/api/v1/contests/cup", json=ended, headers=api.auth(Role.ADMIN))
    assert "ended at" in submit(api, ann, PYTHON_AC, status=409)["message"]
    join(api, api.new_token(name="bob"), status=409)  # too late to join


def test_exercises_outside_the_contest_are_404(api: Api) -> None:
    create(api, contest_body(exercises=["slow"]))
    ann = api.new_token(name="ann")
    join(api, ann)
    assert "not in contest" in submit(api, ann, PYTHON_AC, status=404)["message"]


def minutes_since(start: str, made: str) -> int:
    elapsed = datetime.fromisoformat(made) - datetime.fromisoformat(start)
    return int(elapsed.total_seconds() // 60)


def test_an_icpc_scoreboard_from_real_judgings(api: Api) -> None:
    created = create(api, contest_body(penalty=20))
    ann, bob, cid = (api.new_token(name=name) for name in ("ann", "bob", "cid"))
    for headers in (ann, bob, cid):
        join(api, headers)
    submit(api, ann, PYTHON_WA)
    submit(api, ann, "print(", status=202)  # CE: not counted
    solved = submit(api, ann, PYTHON_AC)
    submit(api, bob, PYTHON_WA)
    board = scoreboard(api)
    assert (board["contest"], board["format"], board["frozen"]) == ("cup", "icpc", False)
    ranks = [(row["rank"], row["user"]) for row in board["rows"]]
    assert ranks == [(1, "ann"), (2, "bob"), (2, "cid")]
    minute = minutes_since(created["start"], solved["created_at"])
    ann_row = board["rows"][0]
    assert (ann_row["score"], ann_row["penalty"]) == (1, minute + 20)
    assert ann_row["problems"]["sum"] == {
        "score": 1, "attempts": 2, "solved": True, "time": minute, "pending": 0,
    }  # fmt: skip
    assert board["rows"][1]["problems"]["sum"]["attempts"] == 1


def test_an_ioi_scoreboard_takes_each_problems_best(api: Api) -> None:
    create(api, contest_body(format="ioi"))
    ann, bob = api.new_token(name="ann"), api.new_token(name="bob")
    join(api, ann)
    join(api, bob)
    assert submit(api, ann, HALF)["score"] == 50.0
    submit(api, ann, PYTHON_WA)
    submit(api, bob, HALF)
    board = scoreboard(api)
    assert [(row["rank"], row["user"], row["score"]) for row in board["rows"]] == [
        (1, "ann", 50.0), (1, "bob", 50.0),
    ]  # fmt: skip
    assert board["rows"][0]["problems"]["sum"]["attempts"] == 2


def test_the_freeze_hides_results_from_all_but_admins(api: Api) -> None:
    create(api, contest_body(closes=20, freeze=30))  # frozen for the last 30 minutes: now
    ann = api.new_token(name="ann")
    join(api, ann)
    assert submit(api, ann, PYTHON_AC)["verdict"] == "AC"  # a frozen contest takes submissions
    public = scoreboard(api, ann)
    assert public["frozen"]
    assert public["rows"][0]["problems"]["sum"] == {
        "score": 0, "attempts": 1, "solved": False, "time": None, "pending": 1,
    }  # fmt: skip
    assert scoreboard(api)["rows"] == public["rows"]  # no token: the public board
    # ?token= counts on event streams only: elsewhere it is ignored, never a way in.
    assert scoreboard_with_query_token(api, api.tokens[Role.ADMIN])["rows"] == public["rows"]
    admins = scoreboard(api, api.auth(Role.ADMIN))
    assert admins["frozen"] and admins["rows"][0]["score"] == 1
    thawed = terms(closes=20, freeze=0)
    api.client.put("/api/v1/contests/cup", json=thawed, headers=api.auth(Role.AUTHOR))
    assert scoreboard(api)["rows"][0]["score"] == 1
    events = api.client.get("/api/v1/contests/cup/scoreboard/events?token=nope")
    assert events.status_code == 401


def scoreboard_with_query_token(api: Api, token: str) -> Any:
    done = api.client.get(f"/api/v1/contests/cup/scoreboard?token={token}")
    assert done.status_code == 200, done.text
    return done.json()
