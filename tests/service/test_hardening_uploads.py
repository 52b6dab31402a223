"""Exercise uploads are validated whole before anything is written, and a restart never
depends on the content of one exercise: a broken one is reported and skipped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from service_support import SUM_TOML, Api, write_exercise

from judge_api import catalog
from judge_api.tokens import Role
from runners.store.database import Database

FILES = {
    "exercise.toml": 'title = "Echo"\nlanguages = ["python"]\n',
    "wording.md": "Print what you read.\n",
    "tests/01.in": "hello\n",
    "tests/01.out": "hello\n",
}
ECHO = "print(input())"


def assert_nothing_left(api: Api, slug: str) -> None:
    root = api.service.settings.exercises_dir
    assert sorted(path.name for path in root.iterdir()) == ["slow", "sum"]  # no .staging either
    response = api.client.get(f"/api/v1/exercises/{slug}")
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("[limits]\ntime = inf", "[limits] time: expected a number, got inf"),
        ("[limits]\ntime = 1e-300", "[limits] time: must be from 0.001 to 3600"),
        ("[limits]\nmemory = 100000000000000000", "[limits] memory: must be from 8 to 1048576"),
        ("[scoring]\npoints = 1e308", "[scoring] points: must be from 0.001 to 1000000"),
        ("[scoring]\npoints = nan", "[scoring] points: expected a number, got nan"),
    ],
)
def test_limits_and_points_out_of_range_are_422(any_api: Api, toml: str, problem: str) -> None:
    files = {**FILES, "exercise.toml": f'title = "Echo"\n{toml}\n'}
    response = any_api.client.post(
        "/api/v1/exercises", json={"slug": "echo", "files": files}, headers=any_api.auth(Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    message = response.json()["message"]
    assert f"echo/exercise.toml: {problem}" in message
    assert ".staging" not in message  # named as uploaded
    assert_nothing_left(any_api, "echo")


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"a\x00b": "x"}, "control characters"),
        ({"a" * 300: "x"}, "longer than 255 bytes"),
        ({"/".join(["d"] * 600): "x"}, "or 1024 in all"),
        ({"tests": "x"}, "tests is a file, and a folder"),
        ({"wording.md/x": "x"}, "wording.md is a file, and a folder"),
        ({"tests/": "x"}, "relative path"),
        ({"wording.md/x": "x", "wording.md": None}, "wording.md: cannot be read"),
        ({"exercise.toml/x": "x", "exercise.toml": None}, "exercise.toml: cannot be read"),
    ],
)
def test_bad_file_names_are_422(any_api: Api, extra: dict[str, str | None], problem: str) -> None:
    files = {name: text for name, text in {**FILES, **extra}.items() if text is not None}
    body = {"slug": "echo", "files": files}
    response = any_api.client.post("/api/v1/exercises", json=body, headers=any_api.auth(Role.ADMIN))
    assert response.status_code == 422, response.text
    assert problem in response.json()["message"]
    assert_nothing_left(any_api, "echo")


def test_a_refused_update_keeps_the_exercise(any_api: Api) -> None:
    admin = any_api.auth(Role.ADMIN)
    body = {"slug": "echo", "files": FILES}
    assert any_api.client.post("/api/v1/exercises", json=body, headers=admin).status_code == 201
    broken = {"files": {**FILES, "exercise.toml": 'title = "Echo"\n[limits]\ntime = inf\n'}}
    response = any_api.client.put("/api/v1/exercises/echo", json=broken, headers=admin)
    assert response.status_code == 422, response.text
    assert any_api.client.get("/api/v1/exercises/echo").json()["limits"]["time"] == 1.0
    judged = any_api.client.post(
        "/api/v1/submissions?wait=true",
        json={"exercise": "echo", "language": "python", "source": ECHO},
        headers=admin,
    ).json()
    assert judged["verdict"] == "AC"


def test_what_the_database_refuses_leaves_nothing_behind(any_api: Api, database_url: str) -> None:
    # The loader takes a NUL in a title; PostgreSQL's text columns do not (SQLite does).
    files = {**FILES, "exercise.toml": 'title = "Ec\\u0000ho"\n'}
    response = any_api.client.post(
        "/api/v1/exercises", json={"slug": "echo", "files": files}, headers=any_api.auth(Role.ADMIN)
    )
    if database_url.startswith("sqlite"):
        assert response.status_code == 201, response.text
        return
    assert response.status_code == 422, response.text
    assert "the database cannot hold it" in response.json()["message"]
    assert_nothing_left(any_api, "echo")


def test_a_service_starts_whatever_one_exercise_holds(
    database_url: str, make_api: Callable[..., Api], tmp_path: Path, exercises: Path
) -> None:
    root = tmp_path / "exercises"  # make_api's copy of the exercises, broken beforehand
    root.mkdir()
    for folder in exercises.iterdir():
        write_exercise(root, folder.name, (folder / "exercise.toml").read_text())
    write_exercise(root, "infinite", SUM_TOML + "wall_time = inf\n")
    write_exercise(root, "nul", 'title = "a\\u0000b"\n')
    api = make_api(database_url=database_url)
    listed = [exercise["slug"] for exercise in api.client.get("/api/v1/exercises").json()]
    expected = ["nul", "slow", "sum"] if database_url.startswith("sqlite") else ["slow", "sum"]
    assert listed == expected
    report = catalog.sync(api.service.db, root)
    assert report.synced == expected
    assert any("infinite/exercise.toml: [limits] wall_time" in error for error in report.errors)
    if not database_url.startswith("sqlite"):
        assert any("nul" in error and "cannot be stored" in error for error in report.errors)


def test_sync_keeps_going_past_an_exercise_the_database_refuses(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    db.migrate()
    write_exercise(tmp_path, "fine", SUM_TOML)
    write_exercise(tmp_path, "long", f'title = "{"x" * 400}"\n')  # the title column holds 300
    report = catalog.sync(db, tmp_path)
    db.close()
    if database_url.startswith("sqlite"):
        assert (report.synced, report.errors) == (["fine", "long"], [])
    else:
        assert report.synced == ["fine"]
        assert len(report.errors) == 1 and "long" in report.errors[0]
