"""What judging a submission produced, test by test: one type from the pipeline to the API.

The pipeline builds these, the store keeps them (as JSON), the API and
`judge submit --json` show them; msgspec validates them on every way in.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from runners.judging.verdict import Verdict

RunStatus = Literal["OK", "TLE", "MLE", "OLE", "RE", "CE", "IE"]  # the contract's statuses of a run


class TestResult(msgspec.Struct, frozen=True):
    """One test: time in CPU seconds, memory in peak bytes, points earned."""

    __test__ = False  # not a pytest test class

    name: str
    verdict: Verdict
    time: float
    memory: int
    points: float
    message: str


class SubmissionResult(msgspec.Struct, frozen=True, omit_defaults=True):
    """The whole submission: `verdict` is the first non-AC test verdict, `score` their points.

    `failure` says why the judge failed (a sandbox, a toolchain, a checker),
    when it did: the verdict is then IE and the submission may be judged
    again. It is for the logs, never shown to the submitter.
    """

    verdict: Verdict
    score: float
    max_score: float
    compile_output: str | None
    tests: list[TestResult]
    failure: str | None = None

    @classmethod
    def internal_error(cls, failure: str, max_score: float = 0.0) -> SubmissionResult:
        """The result of a submission the judge could not judge at all."""
        return cls(Verdict.IE, 0.0, max_score, None, [], failure)


class RunReport(msgspec.Struct, frozen=True):
    """One source built and run once, as `judge run --json` prints it and `POST /runs` answers.

    `time` in CPU seconds, `wall_time` in seconds, `memory` in peak bytes;
    when the judge failed (`IE`), `stderr` says why.
    """

    status: RunStatus
    exit_code: int | None
    signal: int | None
    time: float
    wall_time: float
    memory: int
    stdout: str
    stderr: str
    compile_output: str | None

    @classmethod
    def internal_error(cls, reason: str) -> RunReport:
        """The report of a run the judge could not do at all."""
        return cls("IE", None, None, 0.0, 0.0, 0, "", reason, None)


class RunOutput(msgspec.Struct, frozen=True):
    """What a run printed, byte for byte, and how it ended, for the Judge0 API.

    `RunReport` decodes the output as text; Judge0's clients may ask for it
    in base64, so runs made through `/judge0` keep the bytes too. `message`
    is the sandbox's reason for a limit (a wall-clock TLE shows as such);
    `matched` whether stdout matched the expected output (None: none given).
    """

    stdout: bytes
    stderr: bytes
    message: str
    matched: bool | None
