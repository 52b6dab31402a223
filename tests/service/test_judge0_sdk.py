"""Judge0's official Python SDK (PyPI `judge0`) against a real `judge serve`, at /judge0.

The SDK is the client, unchanged: a `judge0.Client` made for a self-hosted
Judge0 on the served base URL and this judge's token in Judge0's header.
It sends everything in base64, polls with `?fields=*` (one submission) or
batches (test cases), and picks language ids by the version `/about` gives.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import judge0
import pytest
from judge0 import LanguageAlias, Status, Submission
from service_support import Deployment

C_HELLO = (
    '#include <stdio.h>\nint main(void) { char s[64]; scanf("%63s", s); printf("hi %s\\n", s); }\n'
)
CPP_HELLO = (
    "#include <iostream>\n"
    'int main() { std::string s; std::cin >> s; std::cout << "hi " << s << "\\n"; }\n'
)
PY_HELLO = "print('hi', input())\n"
RUST_HELLO = (
    "fn main() { let mut s = String::new(); std::io::stdin().read_line(&mut s).unwrap();"
    ' println!("hi {}", s.trim()); }\n'
)
C = "#include <signal.h>\n#include <stdlib.h>\n#include <string.h>\n#include <stdio.h>\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, exercises: Path) -> Iterator[judge0.Client]:
    """The SDK's client of one `judge serve` (SQLite, embedded queue, 2 judging threads)."""
    directory = tmp_path_factory.mktemp("judge0_sdk")
    env = {
        **os.environ,
        "JUDGE_DATA_DIR": str(directory / "data"),
        "JUDGE_EXERCISES_DIR": str(exercises),
        "JUDGE_RATE_LIMIT": "10000",
        "JUDGE_WORKERS": "2",
    }
    for name in ("JUDGE_DATABASE_URL", "JUDGE_REDIS_URL"):
        env.pop(name, None)
    deployment = Deployment(env, directory)
    try:
        deployment.serve()
        secret = deployment.judge("tokens", "create", f"sdk-{secrets.token_hex(4)}")
        endpoint = f"http://127.0.0.1:{deployment.port}/judge0"
        yield judge0.Client(endpoint, {"X-Auth-Token": secret.strip().splitlines()[-1]})
    finally:
        deployment.stop()


def run(
    client: judge0.Client, source: str, language: int | LanguageAlias, **kwargs: object
) -> Submission:
    result = judge0.run(client=client, source_code=source, language=language, **kwargs)
    assert isinstance(result, Submission)
    return result


def message(done: Submission) -> str | None:
    """The status message: Judge0 sends it in base64 too when asked, and the SDK keeps it so."""
    return base64.b64decode(done.message).decode() if done.message else None


def test_the_client_sees_judge0_1_13_1_and_this_judges_configuration(client: judge0.Client) -> None:
    assert client.version == "1.13.1"
    assert sorted(language.id for language in client.languages) == [48, 49, 50, 52, 53, 54, 71, 73]
    assert client.get_language_id(LanguageAlias.PYTHON) == 71
    assert client.config.enable_wait_result and client.config.enable_batched_submissions
    assert client.config.max_cpu_time_limit == 10.0 and client.config.memory_limit == 262144
    assert not client.config.enable_callbacks and not client.config.enable_additional_files
    statuses = {status["id"]: status["description"] for status in client.get_statuses()}
    assert statuses[12] == "Runtime Error (Other)" and len(statuses) == 14


@pytest.mark.parametrize(
    ("language", "source"),
    [
        (48, C_HELLO), (49, C_HELLO), (50, C_HELLO), (LanguageAlias.C, C_HELLO),
        (52, CPP_HELLO), (53, CPP_HELLO), (54, CPP_HELLO), (LanguageAlias.CPP, CPP_HELLO),
        (71, PY_HELLO), (LanguageAlias.PYTHON, PY_HELLO),
        (73, RUST_HELLO), (LanguageAlias.RUST, RUST_HELLO),
    ],
)  # fmt: skip
def test_each_language_runs_and_is_accepted(
    client: judge0.Client, language: int | LanguageAlias, source: str
) -> None:
    done = run(client, source, language, stdin="judge0", expected_output="hi judge0")
    assert done.status == Status.ACCEPTED, (done.status, done.compile_output, done.stderr)
    assert done.stdout == "hi judge0\n" and done.exit_code == 0
    assert done.time is not None and done.memory is not None
    # A Python run, forked from its warm server, counts only the memory it adds to the
    # server's (languages/README.md): a print may add less than a KiB, shown as 0.
    python = language in (71, LanguageAlias.PYTHON)
    assert done.memory >= 0 if python else done.memory > 0
    # The SDK keeps the language it was given; the submission has the id it resolved.
    asked = {"fields": "language_id,language"}
    stored = client.client.get(f"/submissions/{done.token}", params=asked, headers=client.headers)
    assert stored.json()["language_id"] == client.get_language_id(language)


def test_test_cases_go_as_a_batch_and_are_judged_one_by_one(client: judge0.Client) -> None:
    source = "a, b = map(int, input().split())\nprint(a + b)\n"
    cases = [("1 2", "3"), ("2 2", "4\n\n"), ("5 5", "11"), ("0 0", "0   \n")]
    done = judge0.run(client=client, source_code=source, language=71, test_cases=cases)
    assert isinstance(done, list)
    assert [s.status for s in done] == [
        Status.ACCEPTED, Status.ACCEPTED, Status.WRONG_ANSWER, Status.ACCEPTED,
    ]  # fmt: skip
    assert [s.stdout for s in done] == ["3\n", "4\n", "10\n", "0\n"]
    assert len({s.token for s in done}) == 4


BY_STATUS = [
    (Status.WRONG_ANSWER, 71, "print(41)", {"expected_output": "42"}),
    (Status.TIME_LIMIT_EXCEEDED, 71, "while True: pass", {"cpu_time_limit": 0.5}),
    (Status.COMPILATION_ERROR, 50, "int main(void) { return x; }", {}),
    (Status.RUNTIME_ERROR_SIGSEGV, 50, "int main(void) { return *(volatile int *)0; }", {}),
    (Status.RUNTIME_ERROR_SIGFPE, 50,
     "int main(void) { volatile int a = 7, z = 0; return a / z; }", {}),
    (Status.RUNTIME_ERROR_SIGABRT, 50, C + "int main(void) { abort(); }", {}),
    (Status.RUNTIME_ERROR_NZEC, 71, "import sys\nsys.exit(3)", {}),
    (Status.RUNTIME_ERROR_OTHER, 50, C + "int main(void) { raise(SIGUSR1); return 0; }", {}),
    # Over the memory limit: Judge0's cgroup OOM-kills (SIGKILL), Runtime Error (Other).
    (Status.RUNTIME_ERROR_OTHER, 50,
     C + "int main(void) { volatile char *p = malloc(300 << 20);"
     " for (long i = 0; i < 300 << 20; i += 4096) p[i] = 1; return 0; }", {"memory_limit": 65536}),
    # Over the output limit: Judge0's RLIMIT_FSIZE on stdout sends SIGXFSZ.
    (Status.RUNTIME_ERROR_SIGXFSZ, 71, "print('x' * 3_000_000)", {}),
]  # fmt: skip


@pytest.mark.parametrize(("status", "language", "source", "extra"), BY_STATUS)
def test_each_status_as_judge0_reports_it(
    client: judge0.Client, status: Status, language: int, source: str, extra: dict[str, object]
) -> None:
    done = run(client, source, language, **extra)
    assert done.status == status, (done.status, done.message, done.stderr, done.compile_output)
    if status == Status.COMPILATION_ERROR:
        assert done.compile_output and "error" in done.compile_output and done.time is None
    elif status == Status.RUNTIME_ERROR_NZEC:
        assert (done.exit_code, message(done)) == (3, "Exited with error status 3")
    elif status == Status.RUNTIME_ERROR_SIGXFSZ:
        assert (done.exit_signal, message(done)) == (25, "Caught fatal signal 25")
    elif status == Status.TIME_LIMIT_EXCEEDED:
        assert message(done) == "Time limit exceeded" and done.time is not None
    elif status.name.startswith("RUNTIME_ERROR"):
        assert done.exit_signal and message(done) == f"Caught fatal signal {done.exit_signal}"


def test_a_wall_clock_limit_is_a_time_limit_exceeded_said_as_such(client: judge0.Client) -> None:
    done = run(client, "import time\ntime.sleep(30)", 71, wall_time_limit=1)
    assert done.status == Status.TIME_LIMIT_EXCEEDED
    assert message(done) == "Time limit exceeded (wall clock)"


def test_bytes_go_in_and_come_out_in_base64(client: judge0.Client) -> None:
    source = (
        "import sys\ndata = sys.stdin.buffer.read()\nsys.stdout.buffer.write(data[::-1] + b'\\xfe')"
    )
    done = run(client, source, 71, stdin="é\t\x01z")
    assert done.status == Status.ACCEPTED
    # The SDK decodes what is not UTF-8 with backslashreplace: the \xfe came back as it was.
    assert (
        done.stdout == "z\x01\t" + "é".encode()[::-1].decode("utf-8", "backslashreplace") + "\\xfe"
    )


def test_fields_and_polling(client: judge0.Client) -> None:
    submission = judge0.async_run(
        client=client, source_code="print(input()[::-1])", language=71, stdin="abc"
    )
    assert isinstance(submission, Submission) and submission.token is not None
    assert submission.status is None  # the creation answers with the token only
    judge0.wait(client=client, submissions=submission)
    assert submission.status == Status.ACCEPTED and submission.stdout == "cba\n"
    fresh = Submission(source_code="", language=71)
    fresh.token = submission.token
    client.get_submission(fresh, fields=["stdout", "status"])
    assert (fresh.stdout, fresh.status, fresh.time) == ("cba\n", Status.ACCEPTED, None)
