"""Helpers of the service tests: exercises, sources, a private Redis, `judge` processes."""

from __future__ import annotations

import dataclasses
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis
from litestar.testing import TestClient

from judge_api.service import Service
from judge_api.tokens import Role, create_token, find_caller
from runners.contests import Format
from runners.settings import Settings, settings
from runners.store import contests
from runners.store.database import Database, now
from runners.store.models import ContestRow

JUDGE = Path(sys.executable).parent / "judge"
PG_ADMIN = "postgresql://root@/judge_test?host=/var/run/postgresql"

SUM_TOML = """title = "Sum of two numbers"
languages = ["python", "c", "rust"]
[limits]
time = 2.0
"""
SLOW_TOML = """title = "Slow sum"
languages = ["python"]
[limits]
time = 5.0
"""
SOURCES = {
    ("python", "AC"): "a, b = map(int, input().split())\nprint(a + b)\n",
    ("python", "WA"): "a, b = map(int, input().split())\nprint(a - b)\n",
    ("c", "AC"): '#include <stdio.h>\nint main(void) { long a, b; scanf("%ld %ld", &a, &b);'
    ' printf("%ld\\n", a + b); return 0; }\n',
    ("c", "WA"): '#include <stdio.h>\nint main(void) { long a, b; scanf("%ld %ld", &a, &b);'
    ' printf("%ld\\n", a * b + 7); return 0; }\n',
    ("rust", "AC"): "use std::io::Read;\nfn main() { let mut s = String::new();"
    " std::io::stdin().read_to_string(&mut s).unwrap();"
    " let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();"
    ' println!("{}", v[0] + v[1]); }\n',
    ("rust", "WA"): 'fn main() { println!("0"); }\n',
}
# Burns about a second of CPU per test, so a worker can be caught mid-judge.
SLOW_SOURCE = (
    "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end:\n    pass\n"
    + SOURCES["python", "AC"]
)


def write_exercise(root: Path, slug: str, toml: str, tests: int = 2) -> Path:
    folder = root / slug
    (folder / "tests").mkdir(parents=True)
    (folder / "exercise.toml").write_text(toml)
    (folder / "wording.md").write_text(f"# {slug}\n\nPrint the sum of two numbers.\n")
    for number in range(1, tests + 1):
        (folder / "tests" / f"{number:02}.in").write_text(f"{number} {number * 10}\n")
        (folder / "tests" / f"{number:02}.out").write_text(f"{number * 11}\n")
    return folder



@contextmanager
def temporary_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, as a plain `postgresql://` URL; dropped after."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql://root@/{name}?host=/var/run/postgresql"
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RedisServer:
    """A private redis-server without persistence: a restart loses every message."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def service_settings(data_dir: Path, exercises: Path, **changes: Any) -> Settings:
    defaults: dict[str, Any] = {
        "database_url": f"sqlite:///{data_dir / 'judge.db'}",
        "redis_url": None,
        "workers": 2,
    }
    return dataclasses.replace(
        settings(), data_dir=data_dir, exercises_dir=exercises, **{**defaults, **changes}
    )


@dataclass
class Api:
    """An in-process embedded service (SQLite) with a client and tokens of each role."""

    client: TestClient[Any]
    service: Service
    tokens: dict[Role, str]

    def auth(self, role: Role = Role.USER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def new_token(self, role: Role = Role.USER, name: str | None = None) -> dict[str, str]:
        """A token of user `name` (default: a new user with `role`)."""
        name = name or f"extra-{secrets.token_hex(4)}"
        return {"Authorization": f"Bearer {create_token(self.service.db, name, role)}"}


@dataclass
class Process:
    """A `judge` subcommand running in the background, its output in a log file."""

    args: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(JUDGE), *self.args], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def kill(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)
        self.process.wait(60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Deployment:
    """`judge` processes sharing one environment (database, Redis, exercises)."""

    env: dict[str, str]
    directory: Path
    port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def run(self, *args: str) -> Process:
        log = self.directory / f"{args[0]}-{len(self.processes)}.log"
        process = Process(list(args), self.env, log).start()
        self.processes.append(process)
        return process

    def serve(self, command: str = "serve") -> Process:
        process = self.run(command, "--port", str(self.port))
        self.wait_healthy(process)
        return process

    def wait_healthy(self, process: Process, base: str | None = None) -> None:
        """Wait until `process` answers health checks at `base` (default: this deployment's)."""
        for _ in range(600):
            assert process.process is not None
            if process.process.poll() is not None:
                raise RuntimeError(f"judge {process.args[0]} exited:\n{process.log.read_text()}")
            try:
                if httpx.get(f"{base or self.base}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"judge {process.args[0]} never became healthy")

    def judge(self, *args: str) -> str:
        """Run a `judge` command in this environment; its output (it must succeed)."""
        return subprocess.run(
            [str(JUDGE), *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def token(self, role: str = "user", name: str | None = None) -> dict[str, str]:
        """A token made by `judge tokens create` (default: for a new user), as a header."""
        name = name or f"test-{role}-{secrets.token_hex(4)}"
        output = self.judge("tokens", "create", name, "--role", role)
        return {"Authorization": f"Bearer {output.strip().splitlines()[-1]}"}

    def logs(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{p.log.read_text()[-5000:]}" for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


def wait_done(base: str, headers: dict[str, str], ids: list[int], timeout: float) -> dict[int, Any]:
    """Poll until every submission is done; their JSON by id."""
    deadline = time.monotonic() + timeout
    done: dict[int, Any] = {}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        while len(done) < len(ids):
            assert time.monotonic() < deadline, f"not judged in time: {set(ids) - set(done)}"
            for submission_id in set(ids) - set(done):
                body = client.get(f"/submissions/{submission_id}").json()
                if body["status"] == "done":
                    done[submission_id] = body
            time.sleep(0.2)
    return done


def open_contest(
    db: Database, *, started: timedelta, ends_in: timedelta, freeze: int = 0
) -> ContestRow:
    """The ICPC contest `cup` on `sum`, under way, owned by a new author `organiser`."""
    owner = find_caller(db, create_token(db, "organiser", Role.AUTHOR))
    assert owner is not None
    moment = now()
    terms = contests.Terms(
        "Cup", ["sum"], moment - started, moment + ends_in, Format.ICPC, freeze=freeze, penalty=20
    )
    return contests.create(db, "cup", terms, owner.id)
