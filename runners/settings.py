"""The service's settings, read once from the environment (`JUDGE_*` variables).

Languages read their own (`JUDGE_PYTHON`, `JUDGE_<ID>_FLAGS`...; see
languages/README.md); the sandbox takes its configuration as arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from languages import CompileCache

CHECKOUT_EXERCISES = Path(__file__).resolve().parent.parent / "exercises"


def _default_data_dir() -> Path:
    if os.geteuid() == 0:
        return Path("/var/lib/judge")
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "judge"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {value!r}") from None


def _env_origins(name: str) -> tuple[str, ...]:
    """Comma-separated web origins (`https://host[:port]`), or `*` for any."""
    listed = (origin.strip().rstrip("/") for origin in os.environ.get(name, "").split(","))
    origins = tuple(origin for origin in listed if origin)
    for origin in origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise SystemExit(f"{name}: {origin!r} is not an origin like https://example.org")
    return origins


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    exercises_dir: Path
    database_url: str
    redis_url: str | None
    compile_cache_bytes: int
    max_source_bytes: int
    workers: int  # judging threads per worker process
    rate_limit: int = 60  # submissions and runs per token per minute
    wait_max: float = 30.0  # seconds `?wait=true` holds a reply at most
    requeue_after: float = 120.0  # seconds before a stuck queued/judging submission is re-enqueued
    redelivery_after: float = 30.0  # seconds without a heartbeat before Redis redelivers a message
    max_attempts: int = 3  # judging attempts before giving up with IE
    run_time_max: float = 10.0  # cap on the CPU seconds of `POST /runs`
    run_memory_max: int = 512 * 1024 * 1024  # cap on the memory of `POST /runs`, bytes
    max_exercise_bytes: int = 16 * 1024 * 1024  # body size of exercise uploads
    cors_origins: tuple[str, ...] = ()  # web origins allowed to call the API from a browser

    def compile_cache(self) -> CompileCache:
        """The on-disk compile cache in the data folder."""
        return CompileCache(self.data_dir / "compile-cache", self.compile_cache_bytes)


@cache
def settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    data_dir = _env_path("JUDGE_DATA_DIR", _default_data_dir())
    return Settings(
        data_dir=data_dir,
        exercises_dir=_env_path("JUDGE_EXERCISES_DIR", CHECKOUT_EXERCISES),
        database_url=os.environ.get("JUDGE_DATABASE_URL") or f"sqlite:///{data_dir / 'judge.db'}",
        redis_url=os.environ.get("JUDGE_REDIS_URL") or None,
        compile_cache_bytes=_env_int("JUDGE_COMPILE_CACHE_MB", 512) * 1024 * 1024,
        max_source_bytes=_env_int("JUDGE_MAX_SOURCE_BYTES", 64 * 1024),
        workers=_env_int("JUDGE_WORKERS", os.cpu_count() or 1),
        rate_limit=_env_int("JUDGE_RATE_LIMIT", 60),
        wait_max=_env_float("JUDGE_WAIT_MAX", 30.0),
        requeue_after=_env_float("JUDGE_REQUEUE_AFTER", 120.0),
        redelivery_after=_env_float("JUDGE_REDELIVERY_AFTER", 30.0),
        max_attempts=_env_int("JUDGE_MAX_ATTEMPTS", 3),
        run_time_max=_env_float("JUDGE_RUN_TIME_MAX", 10.0),
        run_memory_max=_env_int("JUDGE_RUN_MEMORY_MAX_MB", 512) * 1024 * 1024,
        max_exercise_bytes=_env_int("JUDGE_MAX_EXERCISE_MB", 16) * 1024 * 1024,
        cors_origins=_env_origins("JUDGE_CORS_ORIGINS"),
    )
