"""Per-run cost of the sandbox: bare execution vs the same program sandboxed.

Prints medians and the ratio, both measured in this run. Never asserts.
Each program runs alone (a sandbox per run, prepared ahead) and in a
session (the runs of one submission sharing a sandbox; Python then forks a
warm interpreter per run). Runs go back to back, the worst case for the
spare inits prepared between requests; `--gap` waits that many milliseconds
after each run, as a worker does while it checks an output.

    .venv/bin/python bench/run_overhead.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from languages import build, get_language
from sandbox import Bind, Limits, RunRequest, Sandbox, system_binds

HELLO_C = b'#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'


def median_ms(run: Callable[[], object], runs: int, gap: float) -> float:
    run()  # warm caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
        time.sleep(gap)
    return statistics.median(times) * 1000


def bare(argv: Sequence[str]) -> Callable[[], object]:
    def run() -> None:
        to_null = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
        pid = os.posix_spawn(argv[0], list(argv), {}, file_actions=to_null)
        os.waitpid(pid, 0)

    return run


def sandboxed(box: Sandbox, request: RunRequest) -> Callable[[], object]:
    def run() -> None:
        result = box.run(request)
        if result.status != "OK":
            raise SystemExit(f"sandboxed run failed: {result}")

    return run


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--gap", type=float, default=0.0, help="milliseconds between runs")
    args = parser.parse_args(argv)
    gap = args.gap / 1000
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as box:
        hello = Path(tmp) / "hello"
        subprocess.run(["gcc", "-O2", "-o", hello, "-x", "c", "-"], input=HELLO_C, check=True)
        script = Path(tmp) / "solution.py"
        script.write_text("pass\n")
        python = build(get_language("python"), b"pass\n", box).program
        assert python is not None and python.fork_server, "the python language has no warm start"
        cases = {
            "C hello": (
                [str(hello)],
                RunRequest(argv=["/box/hello"], binds=[*system_binds(), Bind(hello, "/box/hello")]),
            ),
            "python3 -c pass": (
                ["/usr/bin/python3", "-c", "pass"],
                RunRequest(argv=["/usr/bin/python3", "-c", "pass"], binds=system_binds()),
            ),
            "python, warm": (
                ["/usr/bin/python3", "-B", str(script)],
                python.request(b"", Limits()),
            ),
        }
        print(f"median of {args.runs} runs each, {args.gap:g} ms apart")
        print(f"{'program':<30}{'bare ms':>10}{'sandbox ms':>12}{'overhead ms':>13}{'ratio':>8}")
        for name, (bare_argv, request) in cases.items():
            bare_ms = median_ms(bare(bare_argv), args.runs, gap)
            alone_ms = median_ms(sandboxed(box, request), args.runs, gap)
            with box.session():
                session_ms = median_ms(sandboxed(box, request), args.runs, gap)
            for how, box_ms in ((", alone", alone_ms), (", in a session", session_ms)):
                overhead, ratio = box_ms - bare_ms, box_ms / bare_ms
                print(
                    f"{name + how:<30}{bare_ms:>10.2f}{box_ms:>12.2f}{overhead:>13.2f}{ratio:>8.2f}"
                )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
