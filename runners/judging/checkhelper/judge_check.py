"""Helpers for check scripts (`check.py`) of this judge. Standard library only.

The judge puts this file beside check.py in the sandbox, so `import judge_check`
works there. Everything the student wrote runs in child processes, never in
the check's own process: whatever the student's code does (exit early, patch
`sys.exit`, print, loop forever), only the check decides whether it passes.

    import judge_check as jc

    result = jc.run(stdin="3 4\\n")                 # the student's program
    jc.expect(result.stdout.strip(), "7", "For input `3 4`, your program printed")
    value = jc.call("add", 3, 4)                   # a function of a Python solution
    jc.expect(value, 7, "`add(3, 4)` returned")
    jc.passed("Well done!")

A check passes by exiting 0 (reaching its end, or `passed()`); `fail()` exits 1.
What a check prints on stdout is shown to the student as Markdown.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PR_SET_DUMPABLE = 4
DEFAULT_TIMEOUT = float(os.environ.get("JUDGE_TIME_LIMIT", "2"))
SHOWN = 2000  # characters of a value shown in a message

SERVE = "import sys; sys.path.insert(0, {folder!r}); import judge_check; judge_check.serve()"


def encode(value: Any) -> Any:
    """Plain data as JSON, keeping tuples, sets, bytes and dict keys apart."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple | set | frozenset):
        return {type(value).__name__: [encode(item) for item in value]}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, dict):
        return {"dict": [[encode(k), encode(v)] for k, v in value.items()]}
    return {"repr": repr(value)}


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    ((kind, item),) = data.items()
    if kind in CONTAINERS:
        return CONTAINERS[kind](decode(i) for i in item)
    if kind == "bytes":
        return bytes.fromhex(item)
    if kind == "dict":
        return {decode(k): decode(v) for k, v in item}
    return Opaque(item)


CONTAINERS: dict[str, Any] = {"tuple": tuple, "set": set, "frozenset": frozenset}


class Opaque:
    """A returned object that is not plain data: only its repr came back; equal to nothing."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def serve() -> None:
    """In the child: call the function named on stdin, write the reply on fd argv[1]."""
    import importlib
    import traceback

    channel = os.fdopen(int(sys.argv[1]), "w")
    name, args, kwargs = decode(json.loads(sys.stdin.read()))
    try:
        value = getattr(importlib.import_module("solution"), name)(*args, **kwargs)
        reply = {"value": encode(value)}
    except BaseException as error:  # the student's exception, reported to the check
        reply = {"error": "".join(traceback.format_exception_only(type(error), error)).strip()}
    channel.write(json.dumps(reply))
    channel.close()


class StudentError(Exception):
    """The student's code did not give a value: it raised, exited, or took too long."""


@dataclass
class Run:
    """What one run of the student's program did."""

    stdout: str
    stderr: str
    exit_code: int | None  # None when killed by a signal or the timeout
    timed_out: bool


def _protect() -> None:
    """Keep children (same user) away from this process: no ptrace, no /proc/PID/fd or mem."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


@dataclass
class _Done:
    exit_code: int | None  # None when killed by a signal or the timeout
    stdout: bytes
    stderr: bytes
    timed_out: bool


def _spawn(argv: Sequence[str], stdin: str | bytes, timeout: float, keep: int = -1) -> _Done:
    """Run `argv` in its own session; kill the whole session after `timeout` seconds."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        pass_fds=(keep,) if keep >= 0 else (),
    )
    timed_out = False
    try:
        out, err = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:  # the whole session: children of the student's code too
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    if timed_out:
        out, err = process.communicate()
    code = None if timed_out or process.returncode < 0 else process.returncode
    return _Done(code, out, err, timed_out)


def program() -> list[str]:
    """The command running the student's program (set by the judge)."""
    argv: list[str] = json.loads(
        os.environ.get("JUDGE_PROGRAM", '["/usr/bin/python3", "solution.py"]')
    )
    return argv


def run(stdin: str | bytes = "", args: Sequence[str] = (), timeout: float | None = None) -> Run:
    """Run the student's program with `stdin` and extra command line `args`.

    When the program did not compile, the check fails here, showing why.
    """
    if os.environ.get("JUDGE_BUILD") == "failed":
        fail("Your code does not compile:", code(os.environ.get("JUDGE_COMPILE_OUTPUT", "")))
    done = _spawn([*program(), *args], stdin, timeout or DEFAULT_TIMEOUT)
    return Run(
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
        done.exit_code,
        done.timed_out,
    )


def call(function: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` from the student's `solution.py`, in a child process.

    Arguments and the returned value must be plain data (None, bool, int,
    float, str, bytes, list, tuple, dict, set). Raises StudentError when the
    code raises, exits, or runs longer than `timeout` seconds.
    """
    limit = timeout or DEFAULT_TIMEOUT
    shown = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
    text = f"`{function}({shown})`"
    reader, writer = os.pipe()
    replies: list[bytes] = []
    # Read while the child runs: a reply larger than the pipe would block it.
    thread = threading.Thread(target=lambda: replies.append(_read_all(reader)), daemon=True)
    thread.start()
    argv = [sys.executable, "-c", SERVE.format(folder=os.path.dirname(__file__)), str(writer)]
    try:
        done = _spawn(argv, json.dumps(encode([function, list(args), kwargs])), limit, writer)
    finally:
        os.close(writer)
    thread.join()
    if done.timed_out:
        raise StudentError(f"{text} did not finish within {limit:g} s.")
    try:
        reply = json.loads(replies[0])
    except ValueError:
        detail = done.stderr.decode(errors="replace").strip()
        raise StudentError(
            f"{text} did not return: your code ended the program (exit code {done.exit_code})."
            + (f"\n\n{code(detail[-SHOWN:])}" if detail else "")
        ) from None
    if "error" in reply:
        raise StudentError(f"{text} raised an exception:\n\n{code(str(reply['error']))}")
    return decode(reply.get("value"))


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as channel:
        return channel.read()


def code(text: str, language: str = "") -> str:
    """`text` as a Markdown code block."""
    fence = "```"
    while fence in text:
        fence += "`"
    if len(text) > SHOWN:
        text = text[:SHOWN] + "\n…"
    return f"{fence}{language}\n{text}\n{fence}"


def fail(*parts: str) -> None:
    """Print the Markdown `parts` as the student's message and fail the check."""
    print("\n\n".join(parts))
    sys.stdout.flush()
    os._exit(1)


def passed(*parts: str) -> None:
    """Print the Markdown `parts` and pass the check."""
    print("\n\n".join(parts))
    sys.stdout.flush()
    os._exit(0)


def expect(got: Any, expected: Any, what: str) -> None:
    """Fail with a clear message unless `got == expected` (same type too)."""
    if type(got) is type(expected) and got == expected:
        return
    fail(f"{what}:", code(_show(got)), "but I expected:", code(_show(expected)))


def _show(value: Any) -> str:
    return value if isinstance(value, str) and "\n" in value else repr(value)


_protect()
