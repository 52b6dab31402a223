"""The service under load: embedded (`judge serve`), and `judge api` + `judge worker` over Redis.

For a 10-test Python exercise: the median time from `POST /submissions?wait=true`
to its verdict, one submission at a time; then, with 16 clients each posting
`?wait=true` submissions back to back, submissions judged per second and the
CPU seconds the whole server process tree spent per submission (the `judge`
processes and every process they started: supervisors, sandboxes, runs). The
floor, measured in the same run: the same ten tests run bare (`python3
solution.py < input`, one after another). Targets: <= 40 ms median latency,
<= 50 ms of CPU per submission. Prints, never asserts.

    .venv/bin/python bench/service.py [--latency-runs N] [--submissions N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

JUDGE = Path(sys.executable).parent / "judge"
SOURCE = "a, b = map(int, input().split())\nprint(a + b)\n"
CLIENTS = 16
TESTS = 10


def write_exercise(root: Path) -> None:
    folder = root / "sum10"
    (folder / "tests").mkdir(parents=True)
    (folder / "exercise.toml").write_text('title = "Sum"\nlanguages = ["python"]\n')
    (folder / "wording.md").write_text("Print the sum of two numbers.\n")
    for n in range(1, TESTS + 1):
        (folder / "tests" / f"{n:02}.in").write_text(f"{n} {n * 7}\n")
        (folder / "tests" / f"{n:02}.out").write_text(f"{n * 8}\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stat(pid: int) -> tuple[int, float] | None:
    """The parent pid and the CPU seconds of a process and of its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rpartition(b")")[2].split()
    except OSError:
        return None
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return int(fields[1]), ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the process trees under `roots`: live processes and what they reaped."""
    stats = {int(name): _stat(int(name)) for name in os.listdir("/proc") if name.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    total, todo = 0.0, list(roots)
    while todo:
        pid = todo.pop()
        stat = stats.get(pid)
        if stat is not None:
            total += stat[1]
            todo.extend(children.get(pid, []))
    return total


@contextmanager
def processes(commands: list[list[str]], env: dict[str, str], logs: Path) -> Iterator[list[int]]:
    started = []
    try:
        for number, command in enumerate(commands):
            with (logs / f"{Path(command[0]).name}-{number}.log").open("wb") as log:
                started.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        yield [process.pid for process in started]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(60)


def wait_healthy(base: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the service at {base} never became healthy")


def service_env(work: Path, **settings: str) -> dict[str, str]:
    """This environment, with the judge's data and exercises in `work`, on the embedded default."""
    env = {
        **os.environ,
        "JUDGE_DATA_DIR": str(work / "data"),
        "JUDGE_EXERCISES_DIR": str(work / "exercises"),
        **settings,
    }
    for name in ("JUDGE_REDIS_URL", "JUDGE_DATABASE_URL", "JUDGE_ACCESS_LOG"):
        env.pop(name, None)
    return env


def token(env: dict[str, str], *options: str) -> dict[str, str]:
    output = subprocess.run(
        [str(JUDGE), "tokens", "create", "bench", *options],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {"Authorization": f"Bearer {output.strip().splitlines()[-1]}"}


def submit(client: httpx.Client) -> float:
    body = {"exercise": "sum10", "language": "python", "source": SOURCE}
    started = time.perf_counter()
    verdict = client.post("/submissions?wait=true", json=body).json()["verdict"]
    if verdict != "AC":
        raise SystemExit(f"the benchmark's submission was judged {verdict}")
    return time.perf_counter() - started


def latency_ms(client: httpx.Client, runs: int) -> float:
    times = [submit(client) for _ in range(runs + 3)]  # the first ones warm the caches
    return statistics.median(times[3:]) * 1000


def under_load(client: httpx.Client, count: int, server: list[int]) -> tuple[float, float]:
    """Submissions per second with CLIENTS clients, and CPU seconds of the server per one."""
    cpu_before, started = tree_cpu(server), time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda _: submit(client), range(count)))
    elapsed, cpu = time.perf_counter() - started, tree_cpu(server) - cpu_before
    return count / elapsed, cpu / count


def measure(
    name: str, commands: list[list[str]], server: slice, env: dict[str, str], port: int,
    args: argparse.Namespace, logs: Path,
) -> None:  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    with processes(commands, env, logs) as pids:
        wait_healthy(base)
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        with httpx.Client(base_url=base, headers=token(env), timeout=120, limits=limits) as client:
            median = latency_ms(client, args.latency_runs)
            rate, cpu = under_load(client, args.submissions, pids[server])
    print(
        f"{name:9} median POST?wait=true {median:6.1f} ms (target <= 40)"
        f" | {CLIENTS} clients: {rate:5.1f} submissions/s,"
        f" {cpu * 1000:6.1f} ms CPU of the server tree per submission (target <= 50)"
    )


def bare_floor(work: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the ten tests run bare, one after another."""
    script = work / "solution.py"
    script.write_text(SOURCE)
    inputs = sorted((work / "exercises" / "sum10" / "tests").glob("*.in"))
    figures = []
    for _ in range(10):
        before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        for path in inputs:
            with path.open("rb") as stdin:
                subprocess.run(["/usr/bin/python3", str(script)], stdin=stdin, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        figures.append((time.perf_counter() - started, cpu))
    return statistics.median(f[0] for f in figures), statistics.median(f[1] for f in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--submissions", type=int, default=200, help="judged under load")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="judge-bench-"))
    try:
        write_exercise(work / "exercises")
        env = service_env(work, JUDGE_RATE_LIMIT="1000000")
        if args.database_url:
            env["JUDGE_DATABASE_URL"] = args.database_url
        wall, cpu = bare_floor(work)
        print(
            f"{os.cpu_count()} cores; floor: the {TESTS} tests run bare take"
            f" {wall * 1000:.1f} ms, {cpu * 1000:.1f} ms CPU"
        )
        port = free_port()
        serve = [[str(JUDGE), "serve", "--port", str(port)]]
        measure("embedded", serve, slice(0, 1), env, port, args, work)
        redis_port = free_port()
        redis = ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"]
        env["JUDGE_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        port = free_port()
        commands = [redis, [str(JUDGE), "api", "--port", str(port)], [str(JUDGE), "worker"]]
        measure("redis", commands, slice(1, 3), env, port, args, work)  # Redis itself aside
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
