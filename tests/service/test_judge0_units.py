"""The Judge0 layer's pure parts: the comparison, Ruby's base64, Rails' decimals, the status map."""

from __future__ import annotations

import base64
import signal

import pytest

from judge_api.judge0.rules import decode64
from judge_api.judge0.tables import outcome
from judge_api.judge0.views import decimal, encode64, requested_fields
from runners.judging.results import RunReport, RunStatus
from runners.queue.runs import same_output


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (b"3", b"3\n", True),
        (b"1 2\n3", b"1 2 \t\r\n3\n\n\n", True),
        (b"a\x00", b"a", True),  # Ruby's rstrip removes NUL too
        (b"a\n\nb", b"a\nb", False),
        (b" a", b"a", False),
        (b"", b"", False),  # an empty output is null in Judge0: it matches nothing
        (b"", b"\n", True),
    ],
)
def test_output_is_compared_as_judge0_compares_it(
    expected: bytes, actual: bytes, same: bool
) -> None:
    assert same_output(expected, actual) is same


def test_base64_as_ruby_writes_and_reads_it() -> None:
    data = bytes(range(256))
    written = encode64(data)
    lines = written.split("\n")
    assert lines[-1] == "" and all(len(line) == 60 for line in lines[:-2])
    assert base64.b64decode(written) == data and encode64(b"") == ""
    assert decode64(written) == data
    assert decode64("aGk=\n") == b"hi" and decode64("aGk") == b"hi" and decode64("a\tG k") == b"hi"
    assert decode64("!!") == b"" and decode64("aGk=junk") == b"hi"


def test_decimals_as_rails_writes_them() -> None:
    assert [decimal(value) for value in (0.002, 2.0, 0.1, 10.25, None)] == [
        "0.002",
        "2.0",
        "0.1",
        "10.25",
        None,
    ]


def test_unknown_fields_are_named_and_star_asks_for_all() -> None:
    assert requested_fields(None)[0][0] == "token" and len(requested_fields("*")[0]) == 35
    assert requested_fields("stdout,bad,,time") == (["stdout", "time"], ["bad"])


def report(status: RunStatus, exit_code: int | None = 0, sig: int | None = None) -> RunReport:
    return RunReport(status, exit_code, sig, 0.1, 0.2, 4096, "", "", None)


@pytest.mark.parametrize(
    ("run", "matched", "reason", "expected"),
    [
        (report("OK"), None, "", (3, None, 0, None)),
        (report("OK"), True, "", (3, None, 0, None)),
        (report("OK"), False, "", (4, None, 0, None)),
        (report("TLE", None, 9), None, "CPU time limit of 2 s exceeded",
         (5, "Time limit exceeded", 0, None)),
        (report("TLE", None, 9), None, "wall time limit of 5 s exceeded",
         (5, "Time limit exceeded (wall clock)", 0, None)),
        (report("CE", None), None, "", (6, None, None, None)),
        (report("RE", None, signal.SIGSEGV), None, "", (7, "Caught fatal signal 11", 0, 11)),
        (report("RE", None, signal.SIGFPE), None, "", (9, "Caught fatal signal 8", 0, 8)),
        (report("RE", None, signal.SIGABRT), None, "", (10, "Caught fatal signal 6", 0, 6)),
        (report("RE", None, signal.SIGUSR1), None, "", (12, "Caught fatal signal 10", 0, 10)),
        (report("RE", 3), None, "", (11, "Exited with error status 3", 3, None)),
        (report("MLE", None, 9), None, "", (12, "Caught fatal signal 9", 0, 9)),
        (report("MLE", 1), None, "", (12, "Caught fatal signal 9", 0, 9)),
        (report("OLE", None, 9), None, "", (8, "Caught fatal signal 25", 0, 25)),
        (RunReport.internal_error("the sandbox died"), None, "",
         (13, "the sandbox died", None, None)),
    ],
)  # fmt: skip
def test_each_status_maps_to_judge0s(
    run: RunReport, matched: bool | None, reason: str, expected: tuple[object, ...]
) -> None:
    found = outcome(run, matched, reason)
    assert (found.status, found.message, found.exit_code, found.exit_signal) == expected
