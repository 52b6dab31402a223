"""A plugin's self-test: its echo program must copy stdin to stdout exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from languages.base import Language
from languages.builds import Runner
from languages.compile_cache import CompileCache
from languages.runs import run_limits, run_source

# Several lines, no final newline, and UTF-8 beyond ASCII.
SELF_TEST_INPUT = "judge self-test\n1 2 3\nh\u00e9 \u2713".encode()


def self_test(language: Language, sandbox: Runner) -> str | None:
    """None when the language works here, else what went wrong.

    It compiles for real: a private, throwaway compile cache is used.
    """
    if not language.available():
        return f"unavailable: {language.unavailable_reason()}"
    with tempfile.TemporaryDirectory(prefix="judge-self-test-") as directory:
        return check_echo(language, sandbox, CompileCache(Path(directory), 256 * 2**20))


def check_echo(language: Language, sandbox: Runner, cache: CompileCache) -> str | None:
    run = run_source(
        language, language.self_test.encode(), SELF_TEST_INPUT, run_limits(), sandbox, cache
    )
    if run.result is None:
        return f"build {run.status}: {run.build.message or run.build.compile_output}"
    if run.result.status.value != "OK":
        why = run.result.message or run.result.stderr.decode(errors="replace")
        return f"run {run.status}: {why}"
    if run.result.stdout != SELF_TEST_INPUT:
        return f"wrong output: {run.result.stdout[:200]!r}"
    return None
