"""`judge run SOURCE`: compile (if needed) and run one source once in the sandbox."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from languages import Language, SourceRun, UnknownLanguage, get_language, language_for_path
from languages.runs import run_limits, run_source
from runners.settings import settings
from sandbox import RunResult, Sandbox, SandboxError


class UsageError(Exception):
    """Bad input from the command line: exit 2 with this message."""


def main(args: argparse.Namespace) -> int:
    try:
        language, source, stdin = parse(args)
    except UsageError as error:
        print(f"judge run: {error}", file=sys.stderr)
        return 2
    limits = run_limits(args.time_limit, args.memory_limit)
    try:
        with Sandbox() as box:
            run = run_source(language, source, stdin, limits, box, settings().compile_cache())
    except SandboxError as error:  # IE: the judge's fault, said plainly
        print(f"judge run: internal error: {error}", file=sys.stderr)
        return 1
    if args.json:
        write(sys.stdout, json.dumps(run.as_dict(), ensure_ascii=False) + "\n")
    else:
        show(run)
    return 0 if run.status == "OK" else 1


def parse(args: argparse.Namespace) -> tuple[Language, bytes, bytes | Path]:
    """The language, source and input named on the command line."""
    try:
        language = get_language(args.language) if args.language else language_for_path(args.source)
    except UnknownLanguage as error:
        raise UsageError(error) from None
    if not language.available():
        reason = language.unavailable_reason()
        raise UsageError(f"language {language.id} is not available here: {reason}")
    return language, read(args.source), stdin_of(args.stdin)


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def stdin_of(path: Path | None) -> bytes | Path:
    if path is None:
        return b""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    if not path.is_file():
        raise UsageError(f"cannot read {path}: not a file")
    return path



def show(run: SourceRun) -> None:
    """The program's output on ours, then a summary line on stderr."""
    if run.build.compile_output:
        write(sys.stderr, run.build.compile_output)
    if run.result is None:
        if run.build.message:
            write(sys.stderr, run.build.message + "\n")
        write(sys.stderr, f"judge run: {run.status}\n")
        return
    result = run.result
    write(sys.stdout, result.stdout.decode(errors="replace"))
    write(sys.stderr, result.stderr.decode(errors="replace"))
    write(sys.stderr, f"judge run: {run.status}{details(result)}\n")


def details(result: RunResult) -> str:
    """How the run ended and what it used, for people."""
    why = result.message
    if not why and result.signal is not None:
        why = f"signal {result.signal}"
    elif not why and result.exit_code:
        why = f"exit code {result.exit_code}"
    used = (
        f"{result.cpu_time:.3f} s CPU, {result.wall_time:.3f} s wall,"
        f" {result.memory / 2**20:.1f} MiB"
    )
    return f" ({why}), {used}" if why else f", {used}"


def write(stream: TextIO, text: str) -> None:
    """Text as UTF-8 whatever the locale says, so no character can fail."""
    stream.flush()
    stream.buffer.write(text.encode())
    stream.buffer.flush()
