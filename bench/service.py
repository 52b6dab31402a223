"""Service latency and throughput: embedded (`judge serve`), and `judge api` + `judge worker`.

For a 10-test Python exercise: the median time from `POST /submissions?wait=true`
to its verdict (one submission at a time), then submissions judged per second
with many in flight. Prints, never asserts.

    .venv/bin/python bench/service.py [--latency-runs N] [--throughput N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
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


def write_exercise(root: Path) -> None:
    folder = root / "sum10"
    (folder / "tests").mkdir(parents=True)
    (folder / "exercise.toml").write_text('title = "Sum"\nlanguages = ["python"]\n')
    (folder / "wording.md").write_text("Print the sum of two numbers.\n")
    for n in range(1, 11):
        (folder / "tests" / f"{n:02}.in").write_text(f"{n} {n * 7}\n")
        (folder / "tests" / f"{n:02}.out").write_text(f"{n * 8}\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def processes(commands: list[list[str]], env: dict[str, str], logs: Path) -> Iterator[None]:
    started = []
    try:
        for number, command in enumerate(commands):
            with (logs / f"{command[0]}-{number}.log").open("wb") as log:
                started.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        yield
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(30)


def wait_healthy(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the service at {base} never became healthy")


def token(env: dict[str, str]) -> dict[str, str]:
    output = subprocess.run(
        [str(JUDGE), "tokens", "create", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {"Authorization": f"Bearer {output.strip().splitlines()[-1]}"}


def latency_ms(client: httpx.Client, runs: int) -> float:
    body = {"exercise": "sum10", "language": "python", "source": SOURCE}
    times = []
    for _ in range(runs + 3):  # the first ones warm the caches
        started = time.perf_counter()
        verdict = client.post("/submissions?wait=true", json=body).json()["verdict"]
        times.append(time.perf_counter() - started)
        assert verdict == "AC", verdict
    return statistics.median(times[3:]) * 1000


def throughput(client: httpx.Client, count: int) -> float:
    body = {"exercise": "sum10", "language": "python", "source": SOURCE}
    started = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        ids = list(
            pool.map(lambda _: client.post("/submissions", json=body).json()["id"], range(count))
        )
    pending = set(ids)
    while pending:
        pending = {i for i in pending if client.get(f"/submissions/{i}").json()["status"] != "done"}
        time.sleep(0.02)
    return count / (time.perf_counter() - started)


def measure(
    name: str,
    commands: list[list[str]],
    env: dict[str, str],
    port: int,
    args: argparse.Namespace,
    logs: Path,
) -> None:
    base = f"http://127.0.0.1:{port}/api/v1"
    with processes(commands, env, logs):
        wait_healthy(base)
        with httpx.Client(base_url=base, headers=token(env), timeout=60) as client:
            median = latency_ms(client, args.latency_runs)
            rate = throughput(client, args.throughput)
    print(f"{name:9} median wait latency {median:6.1f} ms   throughput {rate:6.1f} submissions/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--throughput", type=int, default=100, help="submissions in flight")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="judge-bench-"))
    try:
        write_exercise(work / "exercises")
        env = {
            **os.environ,
            "JUDGE_DATA_DIR": str(work / "data"),
            "JUDGE_EXERCISES_DIR": str(work / "exercises"),
            "JUDGE_RATE_LIMIT": "1000000",
        }
        env.pop("JUDGE_REDIS_URL", None)
        if args.database_url:
            env["JUDGE_DATABASE_URL"] = args.database_url
        port = free_port()
        measure("embedded", [[str(JUDGE), "serve", "--port", str(port)]], env, port, args, work)
        redis_port = free_port()
        redis = ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"]
        env["JUDGE_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        port = free_port()
        commands = [redis, [str(JUDGE), "api", "--port", str(port)], [str(JUDGE), "worker"]]
        measure("redis", commands, env, port, args, work)
        print(f"machine: {os.cpu_count()} cores; judging threads per process: {os.cpu_count()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
