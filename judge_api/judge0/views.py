"""A run as Judge0 1.13.1 serializes a submission: its fields, units and encodings.

- Text (source, input, outputs, message) is sent as is, or in base64 the way
  Ruby's `Base64.encode64` writes it (lines of 60 characters, each ending in
  a newline) when `?base64_encoded=true`; without it, text that is not UTF-8
  is refused (`NotUtf8`), as Judge0 refuses it.
- An empty output is null, as Judge0 stores it.
- Judge0's decimal columns (times, time limits) are strings ("0.002"), memory
  in KiB, dates as Rails writes them ("2024-04-17T23:28:19.123Z").
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from judge_api.judge0.rules import KB
from judge_api.judge0.schemas import DEFAULT_FIELDS, FIELDS, LanguageOut, StatusOut, SubmissionOut
from judge_api.judge0.tables import (
    IN_QUEUE,
    INTERNAL_ERROR,
    LANGUAGES,
    PROCESSING,
    STATUSES,
    Outcome,
    language_name,
    outcome,
)
from languages import all_languages
from languages.runs import DEFAULTS, WALL_MARGIN
from runners.store import lease
from runners.store.models import RunRow
from sandbox import MiB

ENCODED = (
    "source_code",
    "stdin",
    "expected_output",
    "stdout",
    "stderr",
    "compile_output",
    "message",
)
UNSET_FIELDS = (
    "compiler_options", "command_line_arguments", "callback_url", "additional_files",
)  # fmt: skip


class NotUtf8(ValueError):
    """A text field asked for without base64 is not UTF-8."""


def encode64(data: bytes) -> str:
    """Base64 as Ruby's `Base64.encode64` writes it: 60 characters a line, each ending in \\n."""
    text = base64.b64encode(data).decode()
    return "".join(text[start : start + 60] + "\n" for start in range(0, len(text), 60))


def decimal(value: float | None) -> str | None:
    """A number as Rails writes a decimal column: "0.002", "2.0"."""
    if value is None:
        return None
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def rails_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def requested_fields(fields: str | None) -> tuple[list[str], list[str]]:
    """The fields asked for by `?fields=` (`*` is all; none, the defaults), and the unknown ones."""
    names = [name for name in (fields or "").split(",") if name]
    unknown = [name for name in names if name != "*" and name not in FIELDS]
    if "*" in names:
        return list(FIELDS), unknown
    known = [name for name in names if name in FIELDS]
    return known or list(DEFAULT_FIELDS), unknown


def _outcome(row: RunRow) -> Outcome | None:
    """How the run ended, None while it has not."""
    if row.status != lease.DONE:
        return None
    if row.report is None:  # abandoned, or never run
        return Outcome(INTERNAL_ERROR, row.error or "not run")
    output = row.output
    return outcome(row.report, output.matched if output else None, output.message if output else "")


def _status(row: RunRow, ended: Outcome | None) -> StatusOut:
    if ended is not None:
        number = ended.status
    else:
        number = IN_QUEUE if row.status == lease.QUEUED else PROCESSING
    return StatusOut(number, STATUSES[number])


def _language(row: RunRow) -> LanguageOut:
    entry = LANGUAGES[row.judge0_language or 0]
    return LanguageOut(entry.id, language_name(entry, all_languages().get(entry.plugin)))


def _results(row: RunRow, ended: Outcome | None) -> dict[str, Any]:
    """What the run did: outputs, times, memory, exit; all null until it ended."""
    report, output = row.report, row.output
    ran = ended is not None and report is not None and report.status not in ("CE", "IE")
    compiled = report.compile_output if report is not None else None
    return {
        "stdout": (output.stdout if output else None) or None,
        "stderr": (output.stderr if output else None) or None,
        "compile_output": compiled.encode() if compiled else None,
        "message": ended.message.encode() if ended and ended.message else None,
        "exit_code": ended.exit_code if ended else None,
        "exit_signal": ended.exit_signal if ended else None,
        "time": decimal(report.time) if ran and report else None,
        "wall_time": decimal(report.wall_time) if ran and report else None,
        "memory": report.memory // KB if ran and report else None,
    }


def _values(row: RunRow) -> dict[str, Any]:
    """Every field of the submission; text fields still as bytes."""
    ended = _outcome(row)
    status = _status(row, ended)
    wall = row.wall_time_limit or row.time_limit + WALL_MARGIN
    return {
        "source_code": row.source, "language_id": row.judge0_language, "stdin": row.stdin or None,
        "expected_output": row.expected_output, "status_id": status.id,
        "created_at": rails_time(row.created_at), "finished_at": rails_time(row.finished_at),
        "token": row.token, "number_of_runs": 1, "cpu_time_limit": decimal(row.time_limit),
        "cpu_extra_time": decimal(0.0), "wall_time_limit": decimal(wall),
        "memory_limit": row.memory_limit * MiB // KB, "stack_limit": DEFAULTS.stack // KB,
        "max_processes_and_or_threads": DEFAULTS.processes,
        "enable_per_process_and_thread_time_limit": False,
        "enable_per_process_and_thread_memory_limit": False,
        "max_file_size": DEFAULTS.output // KB, "redirect_stderr_to_stdout": False,
        "enable_network": False, "status": status, "language": _language(row),
        **dict.fromkeys(UNSET_FIELDS), **_results(row, ended),
    }  # fmt: skip


def _text(value: bytes, encoded: bool) -> str:
    if encoded:
        return encode64(value)
    try:
        return value.decode()
    except UnicodeDecodeError:
        raise NotUtf8 from None


def view(row: RunRow, fields: Iterable[str], encoded: bool) -> SubmissionOut:
    """The submission's `fields`, text in base64 when `encoded`; NotUtf8 when text is not
    UTF-8 and not `encoded`."""
    values = _values(row)
    chosen: dict[str, Any] = {}
    for name in fields:
        value = values[name]
        chosen[name] = _text(value, encoded) if name in ENCODED and value is not None else value
    return SubmissionOut(**chosen)
