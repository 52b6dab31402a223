"""Judge0's numbers for this judge's things: language ids, status ids, and a run's status.

Judge0 1.13.1 (CE) decides a status from what isolate reported
(`IsolateJob#determine_status`): TO is Time Limit Exceeded, SG a runtime error
named by the signal, RE a non-zero exit (NZEC), XX an Internal Error, else the
output is compared. This judge's sandbox reports more (MLE, OLE); they map to
what Judge0 shows for the same program, where its limits are isolate's:
the memory limit is a cgroup's, whose OOM killer sends SIGKILL (status 12,
Runtime Error (Other), signal 9), and the output limit is RLIMIT_FSIZE on
the file stdout goes to, which sends SIGXFSZ (status 8, signal 25).
"""

from __future__ import annotations

import re
import signal
from dataclasses import dataclass

from languages import Language
from runners.judging.results import RunReport

STATUSES = {
    1: "In Queue",
    2: "Processing",
    3: "Accepted",
    4: "Wrong Answer",
    5: "Time Limit Exceeded",
    6: "Compilation Error",
    7: "Runtime Error (SIGSEGV)",
    8: "Runtime Error (SIGXFSZ)",
    9: "Runtime Error (SIGFPE)",
    10: "Runtime Error (SIGABRT)",
    11: "Runtime Error (NZEC)",
    12: "Runtime Error (Other)",
    13: "Internal Error",
    14: "Exec Format Error",  # listed, never given: Judge0 1.13 no longer gives it either
}
IN_QUEUE, PROCESSING, ACCEPTED, WRONG_ANSWER, TLE, COMPILATION_ERROR = 1, 2, 3, 4, 5, 6
SIGXFSZ_STATUS, NZEC, OTHER, INTERNAL_ERROR = 8, 11, 12, 13
BY_SIGNAL = {
    int(signal.SIGSEGV): 7,
    int(signal.SIGXFSZ): 8,
    int(signal.SIGFPE): 9,
    int(signal.SIGABRT): 10,
}


@dataclass(frozen=True)
class Judge0Language:
    """A language id of Judge0 CE 1.13.1 and the plugin that runs it here."""

    id: int
    plugin: str  # this judge's language id
    family: str  # how Judge0 names it, before the version in brackets


# Judge0 CE 1.13.1's ids (db/languages/active.rb). Judge0 has three GCCs
# (7.4.0, 8.3.0, 9.2.0); this judge has one, so their ids all run it.
LANGUAGES = {
    language.id: language
    for language in (
        Judge0Language(48, "c", "C (GCC {})"),
        Judge0Language(49, "c", "C (GCC {})"),
        Judge0Language(50, "c", "C (GCC {})"),
        Judge0Language(52, "cpp", "C++ (GCC {})"),
        Judge0Language(53, "cpp", "C++ (GCC {})"),
        Judge0Language(54, "cpp", "C++ (GCC {})"),
        Judge0Language(71, "python", "Python ({})"),
        Judge0Language(73, "rust", "Rust ({})"),
    )
}
VERSION = re.compile(r"\d+\.\d+(?:\.\d+)?")


def language_name(entry: Judge0Language, plugin: Language | None) -> str:
    """Judge0's name with this judge's real toolchain version: `C (GCC 12.2.0)`."""
    found = VERSION.search(plugin.version() or "") if plugin else None
    return entry.family.format(found.group() if found else "?")


@dataclass(frozen=True)
class Outcome:
    """A finished run as Judge0 shows it; `message` is isolate's wording."""

    status: int
    message: str | None = None
    exit_code: int | None = None
    exit_signal: int | None = None


def _signalled(number: int, status: int | None = None) -> Outcome:
    """What isolate says of a program killed by signal `number` (SG)."""
    named = BY_SIGNAL.get(number, OTHER) if status is None else status
    return Outcome(named, f"Caught fatal signal {number}", 0, number)


def outcome(report: RunReport, matched: bool | None, reason: str) -> Outcome:
    """Judge0's status of a run from its report, the comparison and the sandbox's `reason`."""
    if report.status == "CE":
        return Outcome(COMPILATION_ERROR)
    if report.status == "IE":
        return Outcome(INTERNAL_ERROR, report.stderr or reason or "internal error")
    if report.status == "TLE":
        wall = " (wall clock)" if reason.startswith("wall") else ""
        return Outcome(TLE, f"Time limit exceeded{wall}", 0)
    if report.status == "MLE":  # the cgroup's OOM killer, in Judge0
        return _signalled(report.signal or signal.SIGKILL, OTHER)
    if report.status == "OLE":  # RLIMIT_FSIZE on stdout's file, in Judge0
        return _signalled(signal.SIGXFSZ, SIGXFSZ_STATUS)
    if report.signal is not None:
        return _signalled(report.signal)
    if report.exit_code:
        return Outcome(NZEC, f"Exited with error status {report.exit_code}", report.exit_code)
    return Outcome(WRONG_ANSWER if matched is False else ACCEPTED, None, 0)
