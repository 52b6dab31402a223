"""Pure parts of the service: URLs, paths, the rate limiter."""

from __future__ import annotations

import pytest

from judge_api.catalog import check_path
from judge_api.ratelimit import RateLimiter
from runners.judging.exercise import ExerciseError
from runners.store.database import engine_url


def test_plain_postgresql_urls_use_psycopg() -> None:
    assert engine_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "tests/../../x", ".hidden"])
def test_exercise_file_names_stay_inside_the_folder(name: str) -> None:
    with pytest.raises(ExerciseError):
        check_path(name)


def test_exercise_file_names_may_have_folders() -> None:
    assert str(check_path("tests/01.in")) == "tests/01.in"


def test_rate_limiter_allows_a_burst_then_says_when_to_retry() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.take(1) for _ in range(3)] == [0, 0, 0]
    wait = limiter.take(1)
    assert 1 <= wait <= 20
    assert limiter.take(2) == 0  # other tokens have their own bucket
