"""Compiling a source once, in the sandbox, into a program run many times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from languages.base import Language
from languages.compile_cache import CompileCache, Entry, cache_key
from sandbox import Bind, Limits, RunRequest, RunResult, Status


class Runner(Protocol):
    """A `Sandbox` or a `SandboxPool`."""

    def run(self, request: RunRequest) -> RunResult: ...


class BuildStatus(StrEnum):
    """How a build ended: compares equal to the contract's "OK", "CE", "IE"."""

    OK = "OK"
    CE = "CE"  # the compile step failed: the submitter's fault
    IE = "IE"  # the judge failed (unavailable toolchain, sandbox error)


@dataclass(frozen=True)
class Program:
    """A built program, ready to run any number of times."""

    language: Language
    argv: tuple[str, ...]
    binds: tuple[Bind, ...]
    env: Mapping[str, str]
    files: Mapping[str, bytes]  # what must be in /box: the binary, or the source
    executables: tuple[str, ...] = ()
    zygote: tuple[str, ...] = ()  # a warm start of `argv` for a run alone, if the language has one
    fork_server: tuple[str, ...] = ()  # a fork server for the runs of a session, if it has one

    def request(self, stdin: bytes | Path, limits: Limits) -> RunRequest:
        return RunRequest(
            argv=self.argv,
            limits=limits,
            binds=self.binds,
            env=self.env,
            stdin=stdin,
            files=self.files,
            executables=self.executables,
            zygote=self.zygote,
            fork_server=self.fork_server,
        )

    def run(self, sandbox: Runner, stdin: bytes | Path, limits: Limits) -> RunResult:
        return sandbox.run(self.request(stdin, limits))


@dataclass(frozen=True)
class Build:
    """The outcome of `build`. `program` is set exactly when status is OK."""

    status: BuildStatus
    compile_output: str | None  # None when the language compiles nothing
    program: Program | None
    message: str = ""  # why, for IE
    cached: bool = field(default=False, compare=False)  # taken from the compile cache


def build(
    language: Language, source: bytes, sandbox: Runner, cache: CompileCache | None = None
) -> Build:
    """Compile `source` (or take it from the cache) into a program.

    Without a `cache`, every build compiles.
    """
    if not language.available():
        reason = f"language {language.id} is not available here: {language.unavailable_reason()}"
        return Build(BuildStatus.IE, None, None, message=reason)
    argv = language.compile_argv()
    if argv is None:
        return Build(BuildStatus.OK, None, program(language, source, None))
    key = cache_key(language.id, language.version() or "", "\0".join(argv), source)
    entry = cache.get(key) if cache else None
    if entry is not None:
        return from_entry(language, source, entry, cached=True)
    result = sandbox.run(compile_request(language, argv, source))
    if result.status is Status.IE:
        return Build(BuildStatus.IE, None, None, message=f"compiling failed: {result.message}")
    entry = to_entry(language, result)
    if cache and result.status in (Status.OK, Status.RE):  # deterministic: the same next time
        cache.put(key, entry)
    return from_entry(language, source, entry, cached=False)


def compile_request(language: Language, argv: list[str], source: bytes) -> RunRequest:
    return RunRequest(
        argv=argv,
        limits=language.compile_limits,
        binds=language.compile_binds(),
        env=language.compile_env(),
        files={language.source_name: source},
        collect=[language.artifact] if language.artifact else [],
        zygote=language.warm_argv() if language.compile_warm else (),
        fork_server=language.fork_server_argv() if language.compile_warm else (),
    )


def to_entry(language: Language, result: RunResult) -> Entry:
    """What a compile run produced, as a cache entry."""
    output = compiler_output(result)
    if result.status is not Status.OK:
        return Entry("CE", output + limit_note(result), None)
    if language.artifact is None:
        return Entry("OK", output, None)
    artifact = result.files.get(language.artifact)
    if artifact is None:
        return Entry("CE", output + f"\nthe compiler made no {language.artifact}\n", None)
    return Entry("OK", output, artifact)


def compiler_output(result: RunResult) -> str:
    output = (result.stdout + result.stderr).decode(errors="replace")
    if result.stdout_truncated or result.stderr_truncated:
        output += "\n[compiler output truncated]\n"
    return output


def limit_note(result: RunResult) -> str:
    """A line saying which limit stopped the compiler, if one did."""
    if result.status in (Status.TLE, Status.MLE, Status.OLE):
        return f"\ncompilation stopped: {result.message or result.status.value}\n"
    return ""


def from_entry(language: Language, source: bytes, entry: Entry, cached: bool) -> Build:
    if entry.status != "OK":
        return Build(BuildStatus.CE, entry.output, None, cached=cached)
    return Build(
        BuildStatus.OK, entry.output, program(language, source, entry.artifact), cached=cached
    )


def program(language: Language, source: bytes, artifact: bytes | None) -> Program:
    """The program running `artifact`, or the source itself when there is none."""
    files = {language.source_name: source}
    executables: tuple[str, ...] = ()
    if language.artifact is not None and artifact is not None:
        files, executables = {language.artifact: artifact}, (language.artifact,)
    return Program(
        language=language,
        argv=tuple(language.run_argv()),
        binds=language.run_binds(),
        env=language.run_env(),
        files=files,
        executables=executables,
        zygote=tuple(language.warm_argv()),
        fork_server=tuple(language.fork_server_argv()),
    )
