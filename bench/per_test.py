"""Per-test cost of `judge submit` against a bare run of the same program, C and Python.

    .venv/bin/python bench/per_test.py [--repeat N] [--tests N]

The cost of one test is (T(N + 1 tests) - T(1 test)) / N for the whole
`judge submit` process (wall time, and CPU seconds of it and every process it
waited for: the sandbox supervisor, its inits and the runs), its compile
cached. The baseline, measured in the same run, is the program run bare on
one test's input (posix_spawn and wait, output to a pipe read to its end).
Targets: C <= 3x bare, Python <= 0.5x bare. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

JUDGE = Path(sys.executable).parent / "judge"
SOURCES = {
    "c": (
        "solution.c",
        '#include <stdio.h>\nint main(void) { long a, b; scanf("%ld %ld", &a, &b);'
        ' printf("%ld\\n", a + b); return 0; }\n',
    ),
    "python": ("solution.py", "a, b = map(int, input().split())\nprint(a + b)\n"),
}
TARGETS = {"c": 3.0, "python": 0.5}


def write_exercise(folder: Path, language: str, tests: int) -> None:
    (folder / "tests").mkdir(parents=True)
    (folder / "exercise.toml").write_text(f'title = "Sum"\nlanguages = ["{language}"]\n')
    (folder / "wording.md").write_text("Print the sum of two numbers.\n")
    for n in range(tests):
        (folder / "tests" / f"{n:04}.in").write_text(f"{n} {n * 7}\n")
        (folder / "tests" / f"{n:04}.out").write_text(f"{n * 8}\n")


def measure(run: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds (this process's waited-for children) of `run()`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def submit(source: Path, exercise: Path, env: dict[str, str]) -> Callable[[], None]:
    argv = [str(JUDGE), "submit", str(source), "--exercise", str(exercise), "--json"]

    def run() -> None:
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        if b'"verdict":"AC"' not in done.stdout:
            raise SystemExit(f"judge submit failed: {done.stdout!r} {done.stderr[-2000:]!r}")

    return run


def bare(argv: list[str], stdin: Path) -> Callable[[], None]:
    def run() -> None:
        with stdin.open("rb") as data:
            subprocess.run(argv, stdin=data, capture_output=True, check=True)

    return run


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def bench(language: str, work: Path, tests: int, repeat: int) -> None:
    name, text = SOURCES[language]
    source = work / language / name
    source.parent.mkdir(parents=True)
    source.write_text(text)
    many, one = work / language / "many", work / language / "one"
    write_exercise(many, language, tests + 1)
    write_exercise(one, language, 1)
    env = {**os.environ, "JUDGE_DATA_DIR": str(work / "data")}
    if language == "c":
        binary = work / language / "solution"
        subprocess.run(["gcc", "-O2", "-o", str(binary), str(source)], check=True)
        bare_argv = [str(binary)]
    else:
        bare_argv = ["/usr/bin/python3", str(source)]
    runs = {"many": submit(source, many, env), "one": submit(source, one, env)}
    baseline = bare(bare_argv, many / "tests" / "0001.in")
    for run in (*runs.values(), baseline):
        run()  # warm up: the compile cache, the page cache
    figures: dict[str, list[tuple[float, float]]] = {"many": [], "one": [], "bare": []}
    for _ in range(repeat):  # interleaved, so that a drift of the machine hits all alike
        figures["many"].append(measure(runs["many"]))
        figures["one"].append(measure(runs["one"]))
        for _ in range(5):
            figures["bare"].append(measure(baseline))
    (many_wall, many_cpu), (one_wall, one_cpu) = medians(figures["many"]), medians(figures["one"])
    bare_wall, bare_cpu = medians(figures["bare"])
    test_wall, test_cpu = (many_wall - one_wall) / tests, (many_cpu - one_cpu) / tests
    print(
        f"{language:<7} per test {test_wall * 1000:6.2f} ms wall {test_cpu * 1000:6.2f} ms CPU"
        f" | bare {bare_wall * 1000:6.2f} ms wall {bare_cpu * 1000:6.2f} ms CPU"
        f" | ratio {test_wall / bare_wall:5.2f} wall {test_cpu / bare_cpu:5.2f} CPU"
        f" (target <= {TARGETS[language]:g})"
        f" | judge submit: {one_wall * 1000:.0f} ms for 1 test, {many_wall * 1000:.0f} ms"
        f" for {tests + 1}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--tests", type=int, default=40, help="N: tests beyond the first")
    parser.add_argument("--language", choices=sorted(SOURCES), action="append")
    args = parser.parse_args()
    print(f"median of {args.repeat} runs each; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="judge-bench-") as directory:
        for language in args.language or sorted(SOURCES):
            bench(language, Path(directory), args.tests, args.repeat)


if __name__ == "__main__":
    main()
