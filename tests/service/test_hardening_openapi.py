"""The served OpenAPI schema describes the API fully: descriptions, security, bodies, errors."""

from __future__ import annotations

from typing import Any

import pytest
from service_support import Api

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
PUBLIC = {"/api/v1/languages", "/api/v1/exercises", "/api/v1/stats", "/api/v1/health",
          "/api/v1/metrics", "/api/v1/exercises/{slug}"}  # fmt: skip


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
        assert operation.get("security") == (None if public else [{"bearer": []}]), path
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
    for name in ("SubmissionIn", "RunIn", "RunLimits", "ExerciseIn", "NewExerciseIn"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["RunLimits"]["properties"]["time"]["exclusiveMinimum"] == 0
    for path, method, operation in operations(schema):
        for response in operation["responses"].values():
            for media in (response.get("content") or {}).values():
                assert media["schema"] != {"type": "object"}, f"{method} {path}: an untyped body"
    events = schema["paths"]["/api/v1/submissions/{submission_id}/events"]["get"]
    assert list(events["responses"]["200"]["content"]) == ["text/event-stream"]
    read = schema["paths"]["/api/v1/submissions/{submission_id}"]["get"]
    (parameter,) = read["parameters"]
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 2**31 - 1)


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/v1/exercises", "GET, OPTIONS, POST"),
        ("/api/v1/exercises/sum", "GET, OPTIONS, PUT"),
        ("/api/v1/submissions", "OPTIONS, POST"),
    ],
)
def test_options_lists_every_method_of_a_path(api: Api, path: str, allow: str) -> None:
    response = api.client.options(path)
    assert (response.status_code, response.headers["Allow"]) == (204, allow)
