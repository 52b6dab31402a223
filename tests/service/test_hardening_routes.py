"""No 5xx on the routes of users, history, rejudges and contests, on SQLite and PostgreSQL.

Their path parameters, query filters and bodies follow the rules of the rest
of the API (judge_api/README.md, "What is a 400"): a value no row can have is
a 400 with a message, never a query the database chokes on.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_support import Api

from judge_api.tokens import Role

CONTEST = {"slug": "cup", "title": "Cup", "exercises": ["sum"], "format": "icpc",
           "start": "2030-03-01T09:00:00+01:00", "end": "2030-03-01T14:00:00+01:00"}  # fmt: skip


def message_of(response: Any, *statuses: int) -> str:
    assert response.status_code in statuses, response.text
    message: str = response.json()["message"]
    assert message
    return message


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30])
@pytest.mark.parametrize(("method", "suffix"), [("GET", "/source"), ("POST", "/rejudge")])
def test_ids_beyond_the_database_integers_are_400(
    any_api: Api, number: int, method: str, suffix: str
) -> None:
    url = f"/api/v1/submissions/{number}{suffix}"
    response = any_api.client.request(method, url, headers=any_api.auth(Role.ADMIN))
    assert "2147483647" in message_of(response, 400)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/v1/contests/c%00p"),
        ("PUT", "/api/v1/contests/c%00p"),
        ("POST", "/api/v1/contests/c%00p/join"),
        ("GET", "/api/v1/contests/c%00p/scoreboard"),
        ("GET", "/api/v1/contests/c%00p/scoreboard/events"),
        ("POST", "/api/v1/exercises/s%00m/rejudge"),
        ("GET", "/api/v1/users/a%00n"),
        ("GET", "/api/v1/submissions?exercise=s%00m"),
        ("GET", "/api/v1/submissions?contest=c%00p"),
        ("GET", "/api/v1/submissions?user=a%00n"),
    ],
)
def test_a_nul_in_a_slug_or_a_name_is_400(any_api: Api, method: str, url: str) -> None:
    body = {k: v for k, v in CONTEST.items() if k != "slug"} if method == "PUT" else None
    response = any_api.client.request(method, url, json=body, headers=any_api.auth(Role.ADMIN))
    message_of(response, 400)


@pytest.mark.parametrize("name", ["x" * 201, "a%0Ab"])
def test_a_name_no_user_can_have_is_400(any_api: Api, name: str) -> None:
    response = any_api.client.get(f"/api/v1/users/{name}", headers=any_api.auth(Role.ADMIN))
    message_of(response, 400)


@pytest.mark.parametrize("cursor", ["2147483648", "99999999999999999999999", "²", "0", "1.5"])
def test_a_cursor_this_api_never_gave_is_400(any_api: Api, cursor: str) -> None:
    response = any_api.client.get(
        "/api/v1/submissions", params={"cursor": cursor}, headers=any_api.auth(Role.ADMIN)
    )
    assert "cursor" in message_of(response, 400)


def create(api: Api, **changes: Any) -> Any:
    body = {**CONTEST, **changes}
    return api.client.post("/api/v1/contests", json=body, headers=api.auth(Role.ADMIN))


def test_a_contest_title_is_one_line_of_text(any_api: Api) -> None:
    for title in ("C\x00p", "Cup\nAgain", ""):
        assert "title" in message_of(create(any_api, title=title), 400)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00+14:00", "0001-01-02T00:00:00+00:00"),  # before year 1 in UTC
        ("9999-12-31T00:00:00+00:00", "9999-12-31T23:00:00-05:00"),  # after 9999 in UTC
    ],
)
def test_contest_dates_beyond_what_a_date_holds_are_400(any_api: Api, start: str, end: str) -> None:
    assert "out of range" in message_of(create(any_api, start=start, end=end), 400)
    assert any_api.client.get("/api/v1/contests").json() == []


def test_a_contest_keeps_its_instants_whatever_their_offset(any_api: Api) -> None:
    created = create(any_api)
    assert created.status_code == 201, created.text
    read = any_api.client.get("/api/v1/contests/cup").json()
    assert (read["start"], read["end"]) == (
        "2030-03-01T08:00:00+00:00",
        "2030-03-01T13:00:00+00:00",
    )
