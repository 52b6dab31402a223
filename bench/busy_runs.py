"""How the API answers while runs hog every sandbox (issue 10's scenario).

Starts `judge serve` (2 judging threads), sends RUNS concurrent `POST /runs` of
`while True: pass` with a 3 s CPU limit, then times, while they are under way:
`GET /health`, `GET /exercises/{slug}`, and an admin's `POST /submissions?wait=true`
(from the request to its verdict). Prints, never asserts.

    .venv/bin/python bench/busy_runs.py [--runs N] [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from service import (
    JUDGE,
    SOURCE,
    free_port,
    processes,
    service_env,
    token,
    wait_healthy,
    write_exercise,
)

SPIN = {"language": "python", "source": "while True: pass", "limits": {"time": 3}}


def timed(call: Callable[[], httpx.Response]) -> float:
    start = time.monotonic()
    response = call()
    assert response.status_code < 500, response.text
    return time.monotonic() - start


def measure(base: str, headers: dict[str, str], runs: int, repeat: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"health": [], "read": [], "submit ?wait=true": []}
    body = {"exercise": "sum10", "language": "python", "source": SOURCE}
    with httpx.Client(base_url=base, headers=headers, timeout=600) as client:
        for _ in range(repeat):
            with ThreadPoolExecutor(runs) as pool:
                for _ in range(runs):
                    pool.submit(client.post, "/runs", json=SPIN)
                time.sleep(2)  # every run is in: queued, or holding what it holds
                figures["health"].append(timed(lambda: client.get("/health")))
                figures["read"].append(timed(lambda: client.get("/exercises/sum10")))
                figures["submit ?wait=true"].append(
                    timed(lambda: client.post("/submissions?wait=true", json=body))
                )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="judge-bench-"))
    try:
        write_exercise(work / "exercises")
        env = service_env(work, JUDGE_WORKERS="2", JUDGE_RATE_LIMIT="100000")
        port = free_port()
        base = f"http://127.0.0.1:{port}/api/v1"
        with processes([[str(JUDGE), "serve", "--port", str(port)]], env, work):
            wait_healthy(base)
            figures = measure(base, token(env, "--role", "admin"), args.runs, args.repeat)
        print(f"{args.runs} runs of 3 s CPU in flight, 2 judging threads, {args.repeat} rounds:")
        for name, seconds in figures.items():
            median, worst = statistics.median(seconds), max(seconds)
            print(f"  {name:<20} median {median:7.3f} s  max {worst:7.3f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
