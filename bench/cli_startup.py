"""CPU cost of the `judge` command as a whole process: lazy imports against eager ones.

    .venv/bin/python bench/cli_startup.py [--repeat N]

Times `judge run hello.c` (its build cached after the first run) and
`judge --help`, counting the CPU seconds of the process and every process it
waited for (the sandbox supervisor and the runs). The baseline, measured in the
same run, is the previous design: the same command after importing what every
subcommand imported before the command line was made lazy (Litestar,
SQLAlchemy, Alembic, uvicorn, redis, dramatiq). A bare `python3 -c pass` and
the compiled program run bare give the floor. The target is at most 0.25 s of
CPU for `judge run` of a cached C program.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET = 0.25  # CPU seconds for `judge run hello.c`
HELLO = '#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n'
EAGER = (
    "import sys, judge_api.app, judge_api.service, judge_api.cli.service;"
    " from judge_api.cli import main; sys.exit(main(sys.argv[1:]))"
)


def cpu_seconds(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    """User + system CPU of `argv` and of every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_cpu(argv: list[str], env: dict[str, str], cwd: Path, repeat: int) -> float:
    cpu_seconds(argv, env, cwd)  # warm up: the compile cache, the page cache
    return statistics.median(cpu_seconds(argv, env, cwd) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    judge = str(Path(sys.executable).parent / "judge")
    with tempfile.TemporaryDirectory(prefix="judge-bench-") as directory:
        folder = Path(directory)
        (folder / "hello.c").write_text(HELLO)
        subprocess.run(["gcc", "-O2", "hello.c", "-o", "hello"], cwd=folder, check=True)
        env = {**os.environ, "JUDGE_DATA_DIR": str(folder / "data")}
        rows = [
            ("python3 -c pass (floor)", [sys.executable, "-c", "pass"]),
            ("./hello bare (floor)", [str(folder / "hello")]),
            ("judge --help, lazy", [judge, "--help"]),
            ("judge --help, eager (before)", [sys.executable, "-c", EAGER, "--help"]),
            ("judge run hello.c, lazy", [judge, "run", "hello.c"]),
            ("judge run hello.c, eager (before)", [sys.executable, "-c", EAGER, "run", "hello.c"]),
        ]
        figures = {name: median_cpu(argv, env, folder, args.repeat) for name, argv in rows}
    width = max(map(len, figures))
    print(f"median CPU seconds over {args.repeat} runs (process and its children):")
    for name, seconds in figures.items():
        print(f"  {name:<{width}}  {seconds:6.3f} s")
    lazy, eager = figures["judge run hello.c, lazy"], figures["judge run hello.c, eager (before)"]
    verdict = "met" if lazy <= TARGET else "not met"
    print(
        f"judge run hello.c: {lazy:.3f} s lazy vs {eager:.3f} s eager ({lazy / eager:.2f}x);"
        f" target <= {TARGET} s: {verdict}"
    )


if __name__ == "__main__":
    main()
