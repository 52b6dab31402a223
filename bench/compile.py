"""Cost of the sandbox for each language: compiling hello world, and one test run.

    .venv/bin/python bench/compile.py [--repeat N] [LANGUAGE ...]

Compares the median wall time of the compile step in the sandbox with the same
command run bare on the host, and of one run of the built program (what each
test of a submission costs) with a bare run. "inside" is the wall time the
sandbox measured for the command itself, "end to end" adds the sandbox's own
cost (fresh namespaces, copying files in and out). The target is a compiler
at most 1.1x slower inside the sandbox than bare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from languages import Language, all_languages
from languages.builds import Program, compile_request, program
from sandbox import RunRequest, Sandbox

COMPILE_TARGET = 1.1
HELLO = {
    "python": 'print("hello, world")\n',
    "c": '#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n',
    "cpp": '#include <iostream>\nint main() { std::cout << "hello, world\\n"; }\n',
    "rust": 'fn main() { println!("hello, world"); }\n',
}


def median_time(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action`, after one warm-up call."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sandboxed(box: Sandbox, request: RunRequest, repeat: int) -> tuple[float, float]:
    """Median end-to-end and inside wall times of `request` in the sandbox."""
    inside: list[float] = []
    end_to_end = median_time(lambda: inside.append(box.run(request).wall_time), repeat)
    return end_to_end, statistics.median(inside[1:])


def bare(argv: list[str], directory: Path, env: dict[str, str]) -> None:
    """Run `argv` on the host in `directory`, as the sandbox would run it in /box."""
    argv = [arg.replace("/box/", f"{directory}/") for arg in argv]
    subprocess.run(argv, cwd=directory, env=env, check=True, capture_output=True)


def bench(language: Language, box: Sandbox, repeat: int) -> list[str]:
    """Report lines for one language."""
    source = HELLO[language.id].encode()
    lines = []
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / language.source_name).write_bytes(source)
        argv = language.compile_argv()
        artifact = None
        if argv is not None:
            request = compile_request(language, argv, source)
            result = box.run(request)
            assert result.status == "OK", result
            artifact = result.files.get(language.artifact) if language.artifact else None
            env = {**os.environ, **language.compile_env()}
            end_to_end, inside = sandboxed(box, request, repeat)
            host = median_time(lambda: bare(argv, directory, env), repeat)
            verdict = "met" if inside <= COMPILE_TARGET * host else "MISSED"
            lines.append(line(language, "compile", end_to_end, inside, host))
            lines[-1] += f"  (target inside <= {COMPILE_TARGET}x: {verdict})"
        built: Program = program(language, source, artifact)
        for file_name, data in built.files.items():
            (directory / file_name).write_bytes(data)
            os.chmod(directory / file_name, 0o755)
        request = built.request(b"", language.compile_limits)
        end_to_end, inside = sandboxed(box, request, repeat)
        host = median_time(lambda: bare(list(built.argv), directory, dict(built.env)), repeat)
        lines.append(line(language, "run", end_to_end, inside, host))
        lines[-1] += f"  (+{(end_to_end - host) * 1000:.1f} ms per test)"
    return lines


def line(language: Language, step: str, end_to_end: float, inside: float, host: float) -> str:
    return (
        f"{language.id:7} {step:8} bare {host * 1000:6.1f} ms"
        f"  sandbox: inside {inside * 1000:6.1f} ms ({inside / host:4.2f}x),"
        f" end to end {end_to_end * 1000:6.1f} ms ({end_to_end / host:5.2f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each step")
    parser.add_argument("languages", nargs="*", default=list(HELLO), metavar="LANGUAGE")
    args = parser.parse_args()
    with Sandbox() as box:
        for language_id in args.languages:
            language = all_languages()[language_id]
            if not language.available():
                print(f"{language_id:8} unavailable: {language.unavailable_reason()}")
                continue
            for line in bench(language, box, args.repeat):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
