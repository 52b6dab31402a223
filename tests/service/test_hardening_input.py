"""No 5xx for any input, on SQLite and PostgreSQL: each case found by the reliability campaign.

Every refusal is a 4xx with a JSON message naming what is wrong.
"""

from __future__ import annotations

from typing import Any

import pytest
from service_support import SOURCES, Api

from judge_api.tokens import Role

SUM = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}
NESTED = b"[" * 100_000 + b"]" * 100_000


def message_of(response: Any, *statuses: int) -> str:
    assert response.status_code in statuses, response.text
    message: str = response.json()["message"]
    assert message
    return message


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/v1/submissions"),
        ("POST", "/api/v1/runs"),
        ("POST", "/api/v1/exercises"),
        ("PUT", "/api/v1/exercises/sum"),
    ],
)
def test_deeply_nested_bodies_are_400(any_api: Api, method: str, url: str) -> None:
    headers = {**any_api.auth(Role.ADMIN), "Content-Type": "application/json"}
    for body in (NESTED, b'{"files": ' + NESTED + b"}"):
        response = any_api.client.request(method, url, content=body, headers=headers)
        message_of(response, 400)


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30])
@pytest.mark.parametrize("suffix", ["", "/events"])
def test_ids_beyond_the_database_integers_are_400(any_api: Api, number: int, suffix: str) -> None:
    response = any_api.client.get(f"/api/v1/submissions/{number}{suffix}", headers=any_api.auth())
    assert "2147483647" in message_of(response, 400)


def test_the_largest_id_is_just_unknown(any_api: Api) -> None:
    response = any_api.client.get(f"/api/v1/submissions/{2**31 - 1}", headers=any_api.auth())
    message_of(response, 404)


def test_a_nul_in_a_slug_is_refused(any_api: Api) -> None:
    admin = any_api.auth(Role.ADMIN)
    message_of(any_api.client.get("/api/v1/exercises/s%00m"), 400)
    files = {"files": {"exercise.toml": 'title = "x"\n'}}
    message_of(any_api.client.put("/api/v1/exercises/s%00m", json=files, headers=admin), 400)
    body = {**SUM, "exercise": "s\x00m"}
    assert "exercise" in message_of(
        any_api.client.post("/api/v1/submissions", json=body, headers=admin), 400
    )
    created = any_api.client.post(
        "/api/v1/exercises", json={**files, "slug": "s\x00m"}, headers=admin
    )
    assert "slug" in message_of(created, 400)


def test_types_are_strict(any_api: Api) -> None:
    run = {"language": "python", "source": "print(1)", "limits": {"time": "1"}}
    response = any_api.client.post("/api/v1/runs", json=run, headers=any_api.auth())
    assert "$.limits.time" in message_of(response, 400)
    for flag in ("1", "0", "True", "yes", ""):
        response = any_api.client.post(
            f"/api/v1/submissions?wait={flag}", json=SUM, headers=any_api.auth()
        )
        assert "wait" in message_of(response, 400)
    body = {**SUM, "source": 42}
    message_of(any_api.client.post("/api/v1/submissions", json=body, headers=any_api.auth()), 400)
    empty = any_api.client.post("/api/v1/submissions", content=b"", headers=any_api.auth())
    assert message_of(empty, 400) == "the request needs a JSON body"


def test_null_run_limits_are_refused(any_api: Api) -> None:
    run = {"language": "python", "source": "print(1)", "limits": {"time": None}}
    message_of(any_api.client.post("/api/v1/runs", json=run, headers=any_api.auth()), 400)
