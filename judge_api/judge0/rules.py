"""What a Judge0 submission may ask, checked as Judge0 1.13.1's model checks it.

Judge0 fills in defaults from its configuration, then validates every
attribute (Rails validations) and answers 422 with every error by field, in
Judge0's words. The configuration here is this judge's real one
(`judge0_config`): the limits of runs (JUDGE_RUN_TIME_MAX,
JUDGE_RUN_MEMORY_MAX_MB) and the sandbox's fixed ones. What the sandbox
cannot vary per run (stack, processes, file size, extra CPU time, runs per
submission) is configured with its maximum equal to its default, and a
different value is refused; what this judge does not have at all
(callbacks, additional files, compiler options, arguments, network,
per-process limits) is disabled, refused with Judge0's own messages.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass

from judge_api.judge0.schemas import ConfigInfo, FieldErrors, Flag, Number, SubmissionIn
from judge_api.judge0.tables import LANGUAGES, Judge0Language
from languages import all_languages
from languages.runs import DEFAULTS
from runners.settings import Settings
from sandbox import MiB

KB = 1024  # Judge0's "kilobytes" are KiB (isolate's units)
MAX_STDIN_BYTES = 1024 * 1024  # as POST /api/v1/runs; expected_output too
BATCH_MAX = 20  # Judge0's default MAX_SUBMISSION_BATCH_SIZE
NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")  # Ruby's Float()
FALSE = {"0", "f", "F", "false", "FALSE", "off", "OFF"}  # Rails' boolean cast, besides 0


def judge0_config(settings: Settings) -> ConfigInfo:
    """`GET /config_info`: this judge's real limits in Judge0's fields and units."""
    return ConfigInfo(
        maintenance_mode=False, enable_wait_result=True, enable_compiler_options=False,
        allowed_languages_for_compile_options=[], enable_command_line_arguments=False,
        enable_submission_delete=False, enable_callbacks=False, callbacks_max_tries=0,
        callbacks_timeout=0.0, enable_additional_files=False,
        max_queue_size=settings.rate_limit,  # per user: the rate limit's burst
        cpu_time_limit=DEFAULTS.cpu_time, max_cpu_time_limit=settings.run_time_max,
        cpu_extra_time=0.0, max_cpu_extra_time=0.0,
        wall_time_limit=DEFAULTS.wall_time, max_wall_time_limit=2 * settings.run_time_max,
        memory_limit=DEFAULTS.memory // KB, max_memory_limit=settings.run_memory_max // KB,
        stack_limit=DEFAULTS.stack // KB, max_stack_limit=DEFAULTS.stack // KB,
        max_processes_and_or_threads=DEFAULTS.processes,
        max_max_processes_and_or_threads=DEFAULTS.processes,
        enable_per_process_and_thread_time_limit=False,
        allow_enable_per_process_and_thread_time_limit=False,
        enable_per_process_and_thread_memory_limit=False,
        allow_enable_per_process_and_thread_memory_limit=False,
        max_file_size=DEFAULTS.output // KB, max_max_file_size=DEFAULTS.output // KB,
        number_of_runs=1, max_number_of_runs=1, redirect_stderr_to_stdout=False,
        max_extract_size=0, enable_batched_submissions=True, max_submission_batch_size=BATCH_MAX,
        submission_cache_duration=0.0, use_docs_as_homepage=False,
        allow_enable_network=False, enable_network=False,
    )  # fmt: skip


@dataclass(frozen=True)
class Judge0Request:
    """A valid submission: what the run needs. `wall_time` None: CPU time + WALL_MARGIN."""

    language: Judge0Language
    source: bytes
    stdin: bytes
    expected_output: bytes | None
    cpu_time: float
    wall_time: float | None
    memory_mib: int


def decode64(text: str) -> bytes:
    """Base64 read as Ruby's `Base64.decode64` reads it: leniently.

    Characters outside the alphabet (newlines...) are skipped, decoding stops
    at the padding, and a last incomplete group gives what bytes it holds.
    """
    clean = re.sub(r"[^A-Za-z0-9+/]", "", text.split("=", 1)[0])
    clean = clean[: len(clean) - 1] if len(clean) % 4 == 1 else clean
    return base64.b64decode(clean + "=" * (-len(clean) % 4))


def _number(value: Number | Flag) -> float | None:
    """The number Rails' numericality sees, or None for what is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return float(value)
    return None


def _flag(value: Flag) -> bool:
    """Rails' boolean cast (None and "" are unset: false here)."""
    if value is None or value == "" or value is False or value == 0:
        return False
    return not (isinstance(value, str) and value in FALSE)


def _text(value: float) -> str:
    """A number as Ruby prints it in a message: 10.0 for a float, 2048 for an integer."""
    return repr(value) if isinstance(value, float) else str(value)


class _Check:
    """Collects Judge0's errors by field, in the order Judge0 adds them."""

    def __init__(self) -> None:
        self.errors: FieldErrors = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def number(
        self, field: str, value: Number, default: float, low: str, bounds: tuple[float, float]
    ) -> float:
        """`value` (or `default` when unset) within `bounds`; `low`, ">" or ">=", says
        whether the lower bound is excluded."""
        if value is None:
            return default
        number = _number(value)
        if number is None or not math.isfinite(number):
            self.add(field, "is not a number")
            return default
        least, most = bounds
        if (low == ">" and number <= least) or (low == ">=" and number < least):
            words = "greater than" if low == ">" else "greater than or equal to"
            self.add(field, f"must be {words} {_text(least)}")
        if number > most:
            self.add(field, f"must be less than or equal to {_text(most)}")
        return number

    def fixed(self, field: str, value: Number, fixed: int) -> None:
        """An attribute the sandbox cannot vary: unset, or its one value."""
        if value is None:
            return
        number = _number(value)
        if number is None:
            self.add(field, "is not a number")
        elif number != fixed:
            self.add(field, f"must be equal to {fixed}")

    def absent(self, field: str, value: str | None, message: str) -> None:
        if value is not None and value.strip():
            self.add(field, message)

    def disabled(self, field: str, value: Flag, message: str) -> None:
        if _flag(value):
            self.add(field, message)

    def size(self, field: str, data: bytes | None, limit: int) -> None:
        if data is not None and len(data) > limit:
            self.add(field, f"is too long (maximum is {limit} bytes)")


def _language(check: _Check, value: Number) -> Judge0Language | None:
    number = _number(value)
    found = LANGUAGES.get(int(number)) if number is not None and math.isfinite(number) else None
    if found is None or found.plugin not in all_languages():
        shown = int(number) if number is not None and math.isfinite(number) else value
        check.add("language_id", f"language with id {shown} doesn't exist")
        return None
    return found


def _bytes(value: str | None, encoded: bool) -> bytes | None:
    if value is None:
        return None
    return decode64(value) if encoded else value.encode()


def validate(data: SubmissionIn, encoded: bool, settings: Settings) -> Judge0Request | FieldErrors:
    """The submission as a run, or Judge0's errors by field (a 422)."""
    config = judge0_config(settings)
    check = _Check()
    source = _bytes(data.source_code, encoded)
    stdin, expected = _bytes(data.stdin, encoded), _bytes(data.expected_output, encoded)
    if source is None or not source.strip():
        check.add("source_code", "can't be blank")
    check.size("source_code", source, settings.max_source_bytes)
    check.size("stdin", stdin, MAX_STDIN_BYTES)
    check.size("expected_output", expected, MAX_STDIN_BYTES)
    if data.language_id is None or data.language_id == "":
        check.add("language_id", "can't be blank")
    check.number("number_of_runs", data.number_of_runs, 1, ">", (0, config.max_number_of_runs))
    cpu = check.number("cpu_time_limit", data.cpu_time_limit, config.cpu_time_limit, ">=",
                       (0, config.max_cpu_time_limit))  # fmt: skip
    check.number("cpu_extra_time", data.cpu_extra_time, 0.0, ">=", (0, config.max_cpu_extra_time))
    wall = check.number("wall_time_limit", data.wall_time_limit, -1.0, ">=",
                        (1, config.max_wall_time_limit))  # fmt: skip
    memory = check.number("memory_limit", data.memory_limit, config.memory_limit, ">=",
                          (2048, config.max_memory_limit))  # fmt: skip
    check.fixed("stack_limit", data.stack_limit, config.stack_limit)
    check.fixed("max_processes_and_or_threads", data.max_processes_and_or_threads,
                config.max_processes_and_or_threads)  # fmt: skip
    cannot = "this option cannot be enabled"
    check.disabled("enable_per_process_and_thread_time_limit",
                   data.enable_per_process_and_thread_time_limit, cannot)  # fmt: skip
    check.disabled("enable_per_process_and_thread_memory_limit",
                   data.enable_per_process_and_thread_memory_limit, cannot)  # fmt: skip
    check.fixed("max_file_size", data.max_file_size, config.max_file_size)
    language = None if data.language_id in (None, "") else _language(check, data.language_id)
    check.absent(
        "compiler_options", data.compiler_options, "setting compiler options is not allowed"
    )
    check.absent("command_line_arguments", data.command_line_arguments,
                 "setting command line arguments is not allowed")  # fmt: skip
    check.absent("callback_url", data.callback_url, "setting callback is not allowed")
    check.absent(
        "additional_files", data.additional_files, "setting additional files is not allowed"
    )
    check.disabled("enable_network", data.enable_network, "enabling network is not allowed")
    check.disabled("redirect_stderr_to_stdout", data.redirect_stderr_to_stdout, cannot)
    if check.errors or language is None or source is None:
        return check.errors
    return Judge0Request(
        language, source, stdin or b"", expected,
        cpu_time=cpu or config.max_cpu_time_limit,  # 0 is no limit in isolate: the maximum here
        wall_time=wall if wall > 0 else None,
        memory_mib=math.ceil(memory * KB / MiB),
    )  # fmt: skip
