"""What custom checkers and check scripts share: a Python run in the sandbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from languages import Program, get_language
from languages.base import merge_binds
from runners.judging.exercise import Exercise
from sandbox import Bind, Limits, MiB, RunRequest

SHOWN = 4000  # characters of a checker's stdout kept as the message
EXTRA_MEMORY = 256  # MiB on top of the exercise's, for the checker's own interpreter


def python() -> str:
    """The judge's Python, as seen inside the sandbox (the same path)."""
    return str(get_language("python").toolchain_path or "/usr/bin/python3")


def python_request(
    exercise: Exercise,
    argv: Sequence[str],
    files: Mapping[str, bytes],
    program: Program | None = None,
    env: Mapping[str, str] | None = None,
    zygote: Sequence[str] = (),
    *,
    binds: Sequence[Bind] = (),
    output_kept: int = Limits().output_kept,
) -> RunRequest:
    """A run of `argv` (the judge's Python, with the operator's read-only packages) in /box.

    With `program`, its files, binds and environment are there too, so the
    checker can run it. `zygote` asks for a warm start (sandbox/zygote.py);
    `binds` adds read-only paths; `output_kept` is how much of each stream comes back.
    """
    language = get_language("python")
    shown = [*language.run_binds(), *(program.binds if program else ()), *binds]
    size = sum(len(data) for data in files.values())
    limits = Limits(
        cpu_time=exercise.checker.time,
        wall_time=3 * exercise.checker.time,
        memory=(exercise.limits.memory + EXTRA_MEMORY) * MiB,
        workspace=max(Limits().workspace, 2 * size + 16 * MiB),
        output_kept=output_kept,
    )
    return RunRequest(
        argv=argv,
        limits=limits,
        binds=merge_binds(shown),
        env={**(program.env if program else {}), **language.run_env(), **(env or {})},
        files={**(program.files if program else {}), **files},
        executables=program.executables if program else (),
        zygote=zygote,
    )


def message(stdout: bytes) -> str:
    """A checker's stdout as a message: text, stripped, not too long."""
    text = stdout.decode("utf-8", errors="replace").strip()
    return text if len(text) <= SHOWN else text[:SHOWN] + "\n…"
