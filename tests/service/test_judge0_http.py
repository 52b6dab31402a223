"""Every /judge0 route over raw HTTP (httpx, through Litestar's test client), and bad input:
Judge0's status codes and bodies, never a 5xx."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import pytest
from service_support import Api

from judge_api.tokens import Role

PY_ECHO = "import sys\nsys.stdout.write(sys.stdin.read())"


def x_auth(api: Api, role: Role = Role.USER) -> dict[str, str]:
    return {"X-Auth-Token": api.tokens[role]}


def submit(
    api: Api, body: dict[str, Any], query: str = "?wait=true", role: Role = Role.USER
) -> Any:
    answer = api.client.post(f"/judge0/submissions{query}", json=body, headers=x_auth(api, role))
    assert answer.status_code == 201, answer.text
    return answer.json()


def judged(api: Api, tokens: list[str], fields: str) -> list[Any]:
    """The submissions once every one is judged (status past In Queue and Processing)."""
    query = f"/judge0/submissions/batch?tokens={','.join(tokens)}&fields=status_id,{fields}"
    while True:
        listed = api.client.get(query, headers=x_auth(api)).json()["submissions"]
        if all(each is None or each["status_id"] > 2 for each in listed):
            return list(listed)
        time.sleep(0.1)


def test_information_routes(api: Api) -> None:
    about = api.client.get("/judge0/about").json()
    assert about["version"] == "1.13.1" and set(about) == {
        "version",
        "homepage",
        "source_code",
        "maintainer",
    }
    assert api.client.get("/judge0/version").text == "1.13.1"
    config = api.client.get("/judge0/config_info").json()
    assert (
        len(config) == 39
        and config["enable_wait_result"]
        and config["max_submission_batch_size"] == 20
    )
    assert (config["cpu_time_limit"], config["max_cpu_time_limit"]) == (2.0, 10.0)
    assert (config["memory_limit"], config["max_memory_limit"]) == (256 * 1024, 512 * 1024)
    names = {
        language["id"]: language["name"] for language in api.client.get("/judge0/languages").json()
    }
    assert sorted(names) == [48, 49, 50, 52, 53, 54, 71, 73]
    assert names[71].startswith("Python (3.") and names[48].startswith("C (GCC ")
    detail = api.client.get("/judge0/languages/54").json()
    assert detail["source_file"] == "solution.cpp" and "g++" in detail["compile_cmd"]
    assert api.client.get("/judge0/languages/71").json()["compile_cmd"] is None
    assert api.client.get("/judge0/languages/62").status_code == 404  # Java: not here
    assert api.client.get("/judge0/languages/62").json() == {"error": "no language with id 62"}
    statuses = api.client.get("/judge0/statuses").json()
    assert [s["id"] for s in statuses] == list(range(1, 15)) and statuses[3][
        "description"
    ] == "Wrong Answer"


def test_authentication_takes_judge0s_header_or_a_bearer_token(api: Api) -> None:
    body = {"source_code": "print(1)", "language_id": 71}
    assert api.client.post("/judge0/submissions", json=body).status_code == 401
    bad = api.client.post("/judge0/submissions", json=body, headers={"X-Auth-Token": "nope"})
    assert (bad.status_code, bad.json()) == (401, {"error": "unknown token"})
    assert api.client.post("/judge0/submissions", json=body, headers=api.auth()).status_code == 201
    assert api.client.post("/judge0/authenticate", headers=x_auth(api)).status_code == 200
    assert api.client.post("/judge0/authenticate").status_code == 401
    assert api.client.post("/judge0/authorize", headers=x_auth(api)).status_code == 403
    assert api.client.post("/judge0/authorize", headers=x_auth(api, Role.ADMIN)).status_code == 200


def test_wait_answers_the_default_fields_and_the_token_alone_without(api: Api) -> None:
    done = submit(
        api, {"source_code": PY_ECHO, "language_id": 71, "stdin": "hi\n", "expected_output": "hi"}
    )
    assert set(done) == {
        "token",
        "time",
        "memory",
        "stdout",
        "stderr",
        "compile_output",
        "message",
        "status",
    }
    assert done["status"] == {"id": 3, "description": "Accepted"} and done["stdout"] == "hi\n"
    assert (
        isinstance(done["time"], str)
        and float(done["time"]) >= 0
        and isinstance(done["memory"], int)
    )
    assert (done["stderr"], done["compile_output"], done["message"]) == (None, None, None)
    queued = submit(api, {"source_code": PY_ECHO, "language_id": 71}, query="")
    assert list(queued) == ["token"] and len(queued["token"]) == 36


def test_fields_and_base64_both_ways(any_api: Api) -> None:
    api = any_api  # SQLite, then PostgreSQL
    source = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read() + bytes([254]))"
    body = {
        "source_code": base64.b64encode(source.encode()).decode(),
        "language_id": "71",  # Judge0 reads numbers from strings, as its documentation sends them
        "stdin": "YWJj\n",  # "abc", with a newline as Ruby's encoder leaves them
    }
    token = submit(api, body, query="?base64_encoded=true")["token"]
    everything = submit(
        api, {**body, "expected_output": "YWJj"}, query="?base64_encoded=true&wait=true&fields=*"
    )
    assert everything["status"]["id"] == 4 and everything["language"]["id"] == 71
    assert base64.b64decode(everything["stdout"]) == b"abc\xfe" and everything["stdout"].endswith(
        "\n"
    )
    assert base64.b64decode(everything["source_code"]).decode() == source
    assert (everything["cpu_time_limit"], everything["memory_limit"], everything["exit_code"]) == (
        "2.0",
        262144,
        0,
    )
    assert everything["created_at"].endswith("Z") and everything["finished_at"] is not None
    path = f"/judge0/submissions/{everything['token']}"
    plain = api.client.get(path, headers=x_auth(api))
    assert plain.status_code == 400 and "use base64_encoded=true" in plain.json()["error"]
    picked = api.client.get(
        f"{path}?fields=status_id,language_id,stdin", headers=x_auth(api)
    ).json()
    assert picked == {"stdin": "abc", "status_id": 4, "language_id": 71}
    unknown = api.client.get(f"{path}?fields=stdout,nope,worse", headers=x_auth(api))
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"error": "invalid fields: [nope, worse]"},
    )
    plain_body = {**body, "source_code": source, "stdin": "x"}
    waited = api.client.post("/judge0/submissions?wait=true", json=plain_body, headers=x_auth(api))
    assert waited.status_code == 201 and set(waited.json()) == {"token", "error"}
    assert token != everything["token"]


def test_expected_output_is_compared_as_judge0_does(api: Api) -> None:
    def status(stdout: str, expected: str) -> int:
        source = f"import sys\nsys.stdout.write({stdout!r})"
        body = {"source_code": source, "language_id": 71, "expected_output": expected}
        return int(submit(api, body)["status"]["id"])

    assert (
        status("1 2\n3\n", "1 2  \n3\n\n\n") == 3
    )  # trailing whitespace of lines and of the whole
    assert status("1 2 \t\r\n3", "1 2\n3") == 3
    assert status("1  2\n3\n", "1 2\n3\n") == 4  # inner whitespace counts
    assert status("\n1\n", "1\n") == 4  # so do leading lines
    assert status("", "") == 4  # Judge0 keeps no output as null, which nothing matches


def test_batches(any_api: Api) -> None:
    api = any_api  # SQLite, then PostgreSQL
    good = {"source_code": "print(input())", "language_id": 71, "stdin": "a"}
    three = [good, {"source_code": "x", "language_id": 5}, {**good, "stdin": "b"}]
    made = api.client.post(
        "/judge0/submissions/batch", headers=x_auth(api), json={"submissions": three}
    )
    assert made.status_code == 201
    first, refused, last = made.json()
    assert refused == {"language_id": ["language with id 5 doesn't exist"]}
    listed = judged(api, [first["token"], "unknown", last["token"]], "stdout")
    assert listed[1] is None and [s["stdout"] for s in (listed[0], listed[2])] == ["a\n", "b\n"]
    by_header = api.client.get(
        "/judge0/submissions/batch", headers={**x_auth(api), "tokens": last["token"]}
    )
    assert by_header.json()["submissions"][0]["token"] == last["token"]
    none = api.client.post(
        "/judge0/submissions/batch", headers=x_auth(api), json={"submissions": [{"stdin": "x"}]}
    )
    assert none.status_code == 422
    for query, error in (
        ("", "at least one"),
        ("?tokens=" + ",".join(["t"] * 21), "less than or equal to 20"),
    ):
        answer = api.client.get(f"/judge0/submissions/batch{query}", headers=x_auth(api))
        assert answer.status_code == 400 and error in answer.json()["error"]
    too_many = api.client.post(
        "/judge0/submissions/batch", headers=x_auth(api), json={"submissions": [good] * 21}
    )
    assert too_many.status_code == 400


def test_someone_elses_submission_is_not_found_but_an_admin_sees_it(api: Api) -> None:
    token = submit(api, {"source_code": "print(1)", "language_id": 71})["token"]
    other = api.new_token()
    assert api.client.get(f"/judge0/submissions/{token}", headers=other).status_code == 404
    listed = api.client.get(f"/judge0/submissions/batch?tokens={token}", headers=other).json()
    assert listed == {"submissions": [None]}
    admin = api.client.get(f"/judge0/submissions/{token}", headers=x_auth(api, Role.ADMIN))
    assert admin.status_code == 200 and admin.json()["stdout"] == "1\n"


BAD_SUBMISSIONS = [
    ({"source_code": "x"}, {"language_id": ["can't be blank"]}),
    ({"language_id": 71, "source_code": "  \n"}, {"source_code": ["can't be blank"]}),
    ({"language_id": 71, "source_code": "x", "cpu_time_limit": "fast"},
     {"cpu_time_limit": ["is not a number"]}),
    ({"language_id": 71, "source_code": "x", "cpu_time_limit": 11},
     {"cpu_time_limit": ["must be less than or equal to 10.0"]}),
    ({"language_id": 71, "source_code": "x", "wall_time_limit": 0.5},
     {"wall_time_limit": ["must be greater than or equal to 1"]}),
    ({"language_id": 71, "source_code": "x", "memory_limit": 1000},
     {"memory_limit": ["must be greater than or equal to 2048"]}),
    ({"language_id": 71, "source_code": "x", "memory_limit": 10**9},
     {"memory_limit": ["must be less than or equal to 524288"]}),
    ({"language_id": 71, "source_code": "x", "number_of_runs": 3},
     {"number_of_runs": ["must be less than or equal to 1"]}),
    ({"language_id": 71, "source_code": "x", "stack_limit": 128000},
     {"stack_limit": ["must be equal to 65536"]}),
    ({"language_id": 71, "source_code": "x", "callback_url": "http://example.com/"},
     {"callback_url": ["setting callback is not allowed"]}),
    ({"language_id": 71, "source_code": "x", "compiler_options": "-O3",
      "command_line_arguments": "a",
      "additional_files": "UEsFBg==", "enable_network": True, "redirect_stderr_to_stdout": "true",
      "enable_per_process_and_thread_time_limit": 1},
     {"enable_per_process_and_thread_time_limit": ["this option cannot be enabled"],
      "compiler_options": ["setting compiler options is not allowed"],
      "command_line_arguments": ["setting command line arguments is not allowed"],
      "additional_files": ["setting additional files is not allowed"],
      "enable_network": ["enabling network is not allowed"],
      "redirect_stderr_to_stdout": ["this option cannot be enabled"]}),
    ({"language_id": 71, "source_code": "x" * 70000},
     {"source_code": ["is too long (maximum is 65536 bytes)"]}),
]  # fmt: skip


@pytest.mark.parametrize(("body", "errors"), BAD_SUBMISSIONS)
def test_bad_submissions_get_judge0s_field_errors(
    api: Api, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    answer = api.client.post("/judge0/submissions", json=body, headers=x_auth(api))
    assert (answer.status_code, answer.json()) == (422, errors)


def test_accepted_options_and_flags_judge0_casts(api: Api) -> None:
    body = {
        "source_code": "print(1)", "language_id": 71, "enable_network": "false",
        "number_of_runs": "1", "cpu_time_limit": "1.5", "memory_limit": 100000,
        "max_file_size": 1024, "compiler_options": " ",
    }  # fmt: skip
    answer = api.client.post("/judge0/submissions?fields=*", json=body, headers=x_auth(api))
    assert answer.status_code == 201
    shown = api.client.get(
        f"/judge0/submissions/{answer.json()['token']}?fields=*", headers=x_auth(api)
    ).json()
    assert (shown["cpu_time_limit"], shown["wall_time_limit"], shown["memory_limit"]) == (
        "1.5",
        "4.5",
        100352,
    )


@pytest.mark.parametrize(
    "request_",
    [
        lambda client, auth: client.post("/judge0/submissions", content=b"{nope", headers=auth),
        lambda client, auth: client.post("/judge0/submissions", json=[1], headers=auth),
        lambda client, auth: client.post("/judge0/submissions", json={"stdin": [1]}, headers=auth),
        lambda client, auth: client.post("/judge0/submissions", content=b"\xff\xfe", headers=auth),
        lambda client, auth: client.post(
            "/judge0/submissions/batch", json={"submissions": 3}, headers=auth
        ),
        lambda client, auth: client.get("/judge0/submissions/" + "z" * 5000, headers=auth),
        lambda client, auth: client.get("/judge0/languages/99999999999999999999"),
        lambda client, auth: client.post("/judge0/submissions?base64_encoded=true", headers=auth,
                                         json={"source_code": "%%%=", "language_id": 71}),
    ],
)  # fmt: skip
def test_malformed_requests_get_a_4xx(api: Api, request_: Callable[..., Any]) -> None:
    answer = request_(api.client, x_auth(api))
    assert 400 <= answer.status_code < 500, answer.text
    assert "error" in answer.json() or answer.status_code == 422


def test_the_rate_limit_counts_each_submission(make_api: Callable[..., Api]) -> None:
    api = make_api(rate_limit=2)
    body = {"source_code": "print(1)", "language_id": 71}
    batch = api.client.post(
        "/judge0/submissions/batch", json={"submissions": [body] * 3}, headers=x_auth(api)
    )
    assert batch.status_code == 429 and "Retry-After" in batch.headers and "error" in batch.json()


def test_an_internal_error_is_status_13_with_its_reason(make_api: Callable[..., Api]) -> None:
    api = make_api(max_attempts=0)  # every run fails: "not run after 0 attempts"
    done = submit(api, {"source_code": "print(1)", "language_id": 71})
    assert done["status"] == {"id": 13, "description": "Internal Error"}
    assert "not run after 0 attempts" in done["message"] and done["time"] is None
