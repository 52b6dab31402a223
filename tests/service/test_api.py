"""The HTTP API in one process (embedded mode, SQLite): bad input, auth, roles, judging."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from service_support import SLOW_SOURCE, SOURCES, Api

from judge_api.tokens import Role

SUM = {"exercise": "sum", "language": "python", "source": SOURCES["python", "AC"]}


def error_of(response: Any, status: int) -> str:
    """The JSON message of an error response, after checking its status."""
    assert response.status_code == status, response.text
    message: str = response.json()["message"]
    assert message
    return message


# Bad input: always a 4xx with a JSON message.


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"exercise": "sum", "language": "python", "source": ', 400),  # broken JSON
        (b'{"exercise": "sum", "language": "python", "source": "\xff\xfe"}', 400),  # not UTF-8
        (b'["sum", "python", "print(1)"]', 400),  # not an object
        (b'{"exercise": 3, "language": "python", "source": "x"}', 400),  # wrong type
        (b'{"exercise": "sum", "language": "python"}', 400),  # missing field
        (b'{"exercise": "sum", "language": "python", "source": "", "x": 1}', 400),  # unknown field
    ],
)
def test_malformed_submissions_are_400(api: Api, body: bytes, status: int) -> None:
    response = api.client.post(
        "/api/v1/submissions",
        content=body,
        headers={**api.auth(), "Content-Type": "application/json"},
    )
    error_of(response, status)


def test_unknown_exercise_is_404(api: Api) -> None:
    response = api.client.post(
        "/api/v1/submissions", json={**SUM, "exercise": "nope"}, headers=api.auth()
    )
    assert "nope" in error_of(response, 404)


def test_unknown_language_is_422(api: Api) -> None:
    response = api.client.post(
        "/api/v1/submissions", json={**SUM, "language": "cobol"}, headers=api.auth()
    )
    assert "cobol" in error_of(response, 422)


def test_language_not_allowed_for_the_exercise_is_422(api: Api) -> None:
    response = api.client.post(
        "/api/v1/submissions", json={**SUM, "exercise": "slow", "language": "c"}, headers=api.auth()
    )
    assert "not allowed" in error_of(response, 422)


def test_oversize_source_is_413(make_api: Callable[..., Api]) -> None:
    api = make_api(max_source_bytes=100)
    response = api.client.post(
        "/api/v1/submissions", json={**SUM, "source": "#" * 101}, headers=api.auth()
    )
    error_of(response, 413)
    response = api.client.post(
        "/api/v1/runs", json={"language": "python", "source": "#" * 101}, headers=api.auth()
    )
    error_of(response, 413)


def test_oversize_body_is_413(make_api: Callable[..., Api]) -> None:
    api = make_api(max_exercise_bytes=1000)
    response = api.client.post(
        "/api/v1/submissions", json={**SUM, "source": "#" * 2000}, headers=api.auth()
    )
    error_of(response, 413)


def test_unknown_submission_is_404(api: Api) -> None:
    error_of(api.client.get("/api/v1/submissions/999", headers=api.auth()), 404)
    error_of(api.client.get("/api/v1/submissions/abc", headers=api.auth()), 404)


def test_unknown_exercise_view_is_404(api: Api) -> None:
    error_of(api.client.get("/api/v1/exercises/nope"), 404)


def test_bad_run_limits_are_400(api: Api) -> None:
    body = {"language": "python", "source": "print(1)", "limits": {"time": -1}}
    error_of(api.client.post("/api/v1/runs", json=body, headers=api.auth()), 400)


# Authentication, roles and the rate limit.


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}]
)
def test_submitting_needs_a_valid_token(api: Api, headers: dict[str, str]) -> None:
    response = api.client.post("/api/v1/submissions", json=SUM, headers=headers)
    error_of(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_rate_limit_is_429_with_retry_after(make_api: Callable[..., Api]) -> None:
    api = make_api(rate_limit=2)
    bad = {**SUM, "exercise": "nope"}  # counted, and cheap
    for _ in range(2):
        error_of(api.client.post("/api/v1/submissions", json=bad, headers=api.auth()), 404)
    response = api.client.post("/api/v1/submissions", json=bad, headers=api.auth())
    error_of(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    other = api.client.post("/api/v1/submissions", json=bad, headers=api.auth(Role.ADMIN))
    error_of(other, 404)  # another token is not limited


EXERCISE_FILES = {
    "exercise.toml": 'title = "Echo"\nlanguages = ["python"]\n',
    "wording.md": "Print what you read.\n",
    "tests/01.in": "hello\n",
    "tests/01.out": "hello\n",
}


def test_users_cannot_create_exercises(api: Api) -> None:
    body = {"slug": "echo", "files": EXERCISE_FILES}
    error_of(api.client.post("/api/v1/exercises", json=body, headers=api.auth()), 403)


def test_authors_manage_their_own_exercises(api: Api) -> None:
    body = {"slug": "echo", "files": EXERCISE_FILES}
    created = api.client.post("/api/v1/exercises", json=body, headers=api.auth(Role.AUTHOR))
    assert created.status_code == 201, created.text
    assert created.json()["title"] == "Echo"
    assert api.client.get("/api/v1/exercises/echo").json()["languages"] == ["python"]
    error_of(api.client.post("/api/v1/exercises", json=body, headers=api.auth(Role.AUTHOR)), 409)
    update = {"files": {**EXERCISE_FILES, "exercise.toml": 'title = "Echo 2"\n'}}
    other_author = api.new_token(Role.AUTHOR)
    error_of(api.client.put("/api/v1/exercises/echo", json=update, headers=other_author), 403)
    updated = api.client.put("/api/v1/exercises/echo", json=update, headers=api.auth(Role.AUTHOR))
    assert updated.status_code == 200, updated.text
    assert api.client.get("/api/v1/exercises/echo").json()["title"] == "Echo 2"
    admin = api.client.put("/api/v1/exercises/echo", json=update, headers=api.auth(Role.ADMIN))
    assert admin.status_code == 200, admin.text


@pytest.mark.parametrize(
    "files",
    [
        {"wording.md": "no exercise.toml\n"},
        {"exercise.toml": "title = [\n"},
        {"exercise.toml": 'title = "x"\n', "../escape": "x"},
    ],
)
def test_invalid_exercises_are_422(api: Api, files: dict[str, str]) -> None:
    body = {"slug": "broken", "files": files}
    error_of(api.client.post("/api/v1/exercises", json=body, headers=api.auth(Role.AUTHOR)), 422)
    error_of(api.client.get("/api/v1/exercises/broken"), 404)
    assert not (api.service.settings.exercises_dir / "broken").exists()


def test_exercises_show_the_public_view_only(api: Api) -> None:
    listed = api.client.get("/api/v1/exercises").json()
    assert [exercise["slug"] for exercise in listed] == ["slow", "sum"]
    shown = api.client.get("/api/v1/exercises/sum").json()
    assert shown["title"] == "Sum of two numbers"
    assert "tests" not in shown and "path" not in shown
    assert "11" not in json.dumps(shown["samples"])  # hidden test data stays hidden


# Judging for real, in this process.


def test_wait_mode_returns_the_verdict(api: Api) -> None:
    response = api.client.post("/api/v1/submissions?wait=true", json=SUM, headers=api.auth())
    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["status"], body["verdict"], body["score"]) == ("done", "AC", body["max_score"])
    assert [test["name"] for test in body["tests"]] == ["01", "02"]
    assert body["judged_at"] is not None


def test_submissions_are_private_to_their_owner(api: Api) -> None:
    created = api.client.post("/api/v1/submissions?wait=true", json=SUM, headers=api.auth()).json()
    url = f"/api/v1/submissions/{created['id']}"
    assert api.client.get(url, headers=api.auth()).json()["verdict"] == "AC"
    error_of(api.client.get(url, headers=api.new_token()), 403)
    assert api.client.get(url, headers=api.auth(Role.ADMIN)).status_code == 200


def test_events_stream_each_test_then_the_result(api: Api) -> None:
    wrong = {**SUM, "source": SOURCES["python", "WA"]}
    created = api.client.post("/api/v1/submissions", json=wrong, headers=api.auth())
    assert created.status_code == 202 and created.json()["status"] in ("queued", "judging", "done")
    events: list[tuple[str, Any]] = []
    url = f"/api/v1/submissions/{created.json()['id']}/events"
    with api.client.stream("GET", url, headers=api.auth()) as stream:
        kind = ""
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((kind, json.loads(line.split(":", 1)[1])))
    assert [kind for kind, _ in events] == ["test", "test", "result"]
    assert [data["name"] for _, data in events[:2]] == ["01", "02"]
    assert events[2][1]["verdict"] == "WA" and events[2][1]["status"] == "done"


def test_runs_are_synchronous_and_capped(make_api: Callable[..., Api]) -> None:
    api = make_api(run_time_max=1.0)
    body = {"language": "python", "source": "print(input()[::-1])", "stdin": "abc\n"}
    response = api.client.post("/api/v1/runs", json=body, headers=api.auth())
    assert response.status_code == 200, response.text
    run = response.json()
    assert (run["status"], run["stdout"], run["exit_code"]) == ("OK", "cba\n", 0)
    spin = {"language": "python", "source": "while True: pass", "limits": {"time": 60}}
    assert api.client.post("/api/v1/runs", json=spin, headers=api.auth()).json()["status"] == "TLE"


def test_stats_metrics_and_health(api: Api) -> None:
    api.client.post("/api/v1/submissions?wait=true", json=SUM, headers=api.auth())
    wrong = {**SUM, "source": SOURCES["python", "WA"]}
    api.client.post("/api/v1/submissions?wait=true", json=wrong, headers=api.auth(Role.AUTHOR))
    stats = api.client.get("/api/v1/stats").json()
    assert (stats["users"], stats["submissions"]) == (2, 2)
    per_exercise = {exercise["slug"]: exercise for exercise in stats["exercises"]}
    assert (per_exercise["sum"]["attempts"], per_exercise["sum"]["solves"]) == (2, 1)
    metrics = api.client.get("/api/v1/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'judge_submissions_total{verdict="AC"} 1' in metrics.text
    assert 'judge_submissions_total{verdict="WA"} 1' in metrics.text
    assert "judge_latency_seconds_count 2" in metrics.text
    assert 'judge_queue_depth{status="queued"} 0' in metrics.text
    assert api.client.get("/api/v1/health").json() == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
    }


def test_languages_and_schema(api: Api) -> None:
    languages = {language["id"] for language in api.client.get("/api/v1/languages").json()}
    assert {"python", "c", "rust"} <= languages
    schema = api.client.get("/schema/openapi.json").json()
    assert "/api/v1/submissions" in schema["paths"]


def test_wait_mode_is_bounded(make_api: Callable[..., Api]) -> None:
    api = make_api(wait_max=0.2)
    body = {"exercise": "slow", "language": "python", "source": SLOW_SOURCE}  # 2 s of CPU
    response = api.client.post("/api/v1/submissions?wait=true", json=body, headers=api.auth())
    assert response.status_code == 202, response.text
    assert response.json()["status"] in ("queued", "judging")
