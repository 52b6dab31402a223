"""The served OpenAPI schema describes the API fully: descriptions, security, bodies, errors."""

from __future__ import annotations

from typing import Any

import pytest
from service_support import Api

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
PUBLIC = {"/api/v1/languages", "/api/v1/exercises", "/api/v1/stats", "/api/v1/health",
          "/api/v1/metrics", "/api/v1/exercises/{slug}", "/api/v1/contests",
          "/api/v1/contests/{slug}"}  # fmt: skip
# Open to all, and more to an admin's token: a token is optional, a bad one a 401.
OPTIONAL = {"/api/v1/contests/{slug}/scoreboard", "/api/v1/contests/{slug}/scoreboard/events"}
STREAMS = (
    "/api/v1/submissions/{submission_id}/events",
    "/api/v1/contests/{slug}/scoreboard/events",
)


@pytest.fixture
def schema(api: Api) -> Any:
    response = api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: Any) -> list[tuple[str, str, Any]]:
    paths = schema["paths"].items()
    return [(path, method, op) for path, ops in paths for method, op in ops.items()]


def test_every_operation_is_described(schema: Any) -> None:
    for path, method, operation in operations(schema):
        assert operation.get("description"), f"{method} {path} has no docstring"


def test_the_bearer_scheme_guards_what_needs_a_token(schema: Any) -> None:
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `judge tokens create NAME`.",
    }
    for path, method, operation in operations(schema):
        public = path in PUBLIC and method == "get"
        security = (
            None if public else [{"bearer": []}, {}] if path in OPTIONAL else [{"bearer": []}]
        )
        assert operation.get("security") == security, f"{method} {path}"
        assert ("401" in operation["responses"]) != public, f"{method} {path}"


def test_every_error_has_the_error_body(schema: Any) -> None:
    seen = set()
    for path, _, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400 and path != "/api/v1/health":
                assert response["content"] == {"application/json": {"schema": ERROR}}, path
                seen.add(int(status))
    assert seen == {400, 401, 403, 404, 409, 413, 422, 429, 503}
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["message", "status_code"]


def test_bodies_are_typed_closed_and_ranged(schema: Any) -> None:
    schemas = schema["components"]["schemas"]
    closed = ("SubmissionIn", "RunIn", "RunLimits", "ExerciseIn", "NewExerciseIn", "ContestIn",
              "NewContestIn")  # fmt: skip
    for name in closed:
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["RunLimits"]["properties"]["time"]["exclusiveMinimum"] == 0
    items = schemas["ContestIn"]["properties"]["exercises"]["items"]  # each an exercise's slug
    assert (items["pattern"], items["maxLength"]) == ("^[a-z0-9][a-z0-9_-]*$", 100)
    for path, method, operation in operations(schema):
        for response in operation["responses"].values():
            for media in (response.get("content") or {}).values():
                assert media["schema"] != {"type": "object"}, f"{method} {path}: an untyped body"
    for stream in STREAMS:
        events = schema["paths"][stream]["get"]
        assert list(events["responses"]["200"]["content"]) == ["text/event-stream"], stream


def path_parameters(schema: Any) -> dict[tuple[str, str, str], Any]:
    return {
        (path, method, parameter["name"]): parameter["schema"]
        for path, method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }


def test_path_parameters_are_ranged(schema: Any) -> None:
    for (path, method, name), ranged in path_parameters(schema).items():
        if name == "submission_id":
            assert (ranged["minimum"], ranged["maximum"]) == (1, 2**31 - 1), f"{method} {path}"
        elif name == "slug":
            assert (ranged["pattern"], ranged["maxLength"]) == ("^[a-z0-9][a-z0-9_-]*$", 100)
        else:
            assert name == "name", f"{method} {path}: {name} unknown to this test"
            assert (ranged["minLength"], ranged["maxLength"]) == (1, 200)
            assert ranged["pattern"] == "^[^\\x00-\\x1f\\x7f]*$"


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/v1/exercises", "GET, OPTIONS, POST"),
        ("/api/v1/exercises/sum", "GET, OPTIONS, PUT"),
        ("/api/v1/submissions", "GET, OPTIONS, POST"),
        ("/api/v1/contests", "GET, OPTIONS, POST"),
        ("/api/v1/contests/cup", "GET, OPTIONS, PUT"),
    ],
)
def test_options_lists_every_method_of_a_path(api: Api, path: str, allow: str) -> None:
    response = api.client.options(path)
    assert (response.status_code, response.headers["Allow"]) == (204, allow)


def test_every_path_answers_options_with_its_methods(api: Api, schema: Any) -> None:
    """Every route is in app.py's `handlers`: OPTIONS knows it (and strict decoding runs)."""
    values = {"{slug}": "sum", "{submission_id}": "1", "{name}": "ann"}
    for path, ops in schema["paths"].items():
        url = path
        for placeholder, value in values.items():
            url = url.replace(placeholder, value)
        response = api.client.options(url)
        allow = ", ".join(sorted({"OPTIONS", *(method.upper() for method in ops)}))
        assert (response.status_code, response.headers.get("Allow")) == (204, allow), path
