"""Judge0's request and response bodies, as msgspec structs.

Requests are read as Judge0 (Rails) reads them: unknown fields are ignored,
numbers may come as strings (`"language_id": "71"`, as in Judge0's own
documentation) and flags as Rails casts them; `rules.py` then validates
them with Judge0's messages. A submission's fields are all optional in its
response: `?fields=` picks which are sent.
"""

from __future__ import annotations

import msgspec
from msgspec import UNSET, UnsetType

Number = int | float | str | None  # Rails' numericality reads "2.5" as well as 2.5
Flag = bool | int | str | None  # Rails' boolean cast: false, 0, "0", "f", "false", "off"...


class SubmissionIn(msgspec.Struct):
    """Every attribute Judge0 1.13.1 permits; this judge refuses the ones it cannot honour."""

    source_code: str | None = None
    language_id: Number = None
    compiler_options: str | None = None
    command_line_arguments: str | None = None
    number_of_runs: Number = None
    stdin: str | None = None
    expected_output: str | None = None
    cpu_time_limit: Number = None
    cpu_extra_time: Number = None
    wall_time_limit: Number = None
    memory_limit: Number = None
    stack_limit: Number = None
    max_processes_and_or_threads: Number = None
    enable_per_process_and_thread_time_limit: Flag = None
    enable_per_process_and_thread_memory_limit: Flag = None
    max_file_size: Number = None
    redirect_stderr_to_stdout: Flag = None
    callback_url: str | None = None
    additional_files: str | None = None
    enable_network: Flag = None


class BatchIn(msgspec.Struct):
    submissions: list[SubmissionIn] = msgspec.field(default_factory=list)


class StatusOut(msgspec.Struct):
    id: int
    description: str


class LanguageOut(msgspec.Struct):
    id: int
    name: str


class LanguageDetail(msgspec.Struct):
    id: int
    name: str
    is_archived: bool
    source_file: str
    compile_cmd: str | None
    run_cmd: str


class About(msgspec.Struct):
    version: str
    homepage: str | None
    source_code: str | None
    maintainer: str | None


class TokenOut(msgspec.Struct):
    token: str


class ErrorOut(msgspec.Struct):
    """Judge0's error body: `{"error": "..."}`."""

    error: str


class TokenErrorOut(msgspec.Struct):
    """`?wait=true` on a submission whose output is not UTF-8 (and no base64 asked)."""

    token: str
    error: str


FieldErrors = dict[str, list[str]]  # 422: Rails' errors, `{"language_id": ["can't be blank"]}`

Text = str | None | UnsetType
Decimal = str | None | UnsetType  # Judge0's decimal columns are sent as strings: "0.002"
Integer = int | None | UnsetType


class SubmissionOut(msgspec.Struct):
    """A submission as Judge0 serializes it; only the fields asked for are set."""

    source_code: Text = UNSET
    language_id: Integer = UNSET
    stdin: Text = UNSET
    expected_output: Text = UNSET
    stdout: Text = UNSET
    status_id: Integer = UNSET
    created_at: Text = UNSET
    finished_at: Text = UNSET
    time: Decimal = UNSET
    memory: Integer = UNSET
    stderr: Text = UNSET
    token: Text = UNSET
    number_of_runs: Integer = UNSET
    cpu_time_limit: Decimal = UNSET
    cpu_extra_time: Decimal = UNSET
    wall_time_limit: Decimal = UNSET
    memory_limit: Integer = UNSET
    stack_limit: Integer = UNSET
    max_processes_and_or_threads: Integer = UNSET
    enable_per_process_and_thread_time_limit: bool | UnsetType = UNSET
    enable_per_process_and_thread_memory_limit: bool | UnsetType = UNSET
    max_file_size: Integer = UNSET
    compile_output: Text = UNSET
    exit_code: Integer = UNSET
    exit_signal: Integer = UNSET
    message: Text = UNSET
    wall_time: Decimal = UNSET
    compiler_options: Text = UNSET
    command_line_arguments: Text = UNSET
    redirect_stderr_to_stdout: bool | UnsetType = UNSET
    callback_url: Text = UNSET
    additional_files: Text = UNSET
    enable_network: bool | UnsetType = UNSET
    status: StatusOut | UnsetType = UNSET
    language: LanguageOut | UnsetType = UNSET


FIELDS = SubmissionOut.__struct_fields__
DEFAULT_FIELDS = (
    "token",
    "time",
    "memory",
    "stdout",
    "stderr",
    "compile_output",
    "message",
    "status",
)


class BatchOut(msgspec.Struct):
    submissions: list[SubmissionOut | None]


class ConfigInfo(msgspec.Struct):
    """Every field of Judge0 1.13.1's `GET /config_info`, with this judge's values."""

    maintenance_mode: bool
    enable_wait_result: bool
    enable_compiler_options: bool
    allowed_languages_for_compile_options: list[str]
    enable_command_line_arguments: bool
    enable_submission_delete: bool
    enable_callbacks: bool
    callbacks_max_tries: int
    callbacks_timeout: float
    enable_additional_files: bool
    max_queue_size: int
    cpu_time_limit: float
    max_cpu_time_limit: float
    cpu_extra_time: float
    max_cpu_extra_time: float
    wall_time_limit: float
    max_wall_time_limit: float
    memory_limit: int
    max_memory_limit: int
    stack_limit: int
    max_stack_limit: int
    max_processes_and_or_threads: int
    max_max_processes_and_or_threads: int
    enable_per_process_and_thread_time_limit: bool
    allow_enable_per_process_and_thread_time_limit: bool
    enable_per_process_and_thread_memory_limit: bool
    allow_enable_per_process_and_thread_memory_limit: bool
    max_file_size: int
    max_max_file_size: int
    number_of_runs: int
    max_number_of_runs: int
    redirect_stderr_to_stdout: bool
    max_extract_size: int
    enable_batched_submissions: bool
    max_submission_batch_size: int
    submission_cache_duration: float
    use_docs_as_homepage: bool
    allow_enable_network: bool
    enable_network: bool
