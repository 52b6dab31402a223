"""The submitter's language reaches check scripts (`LANGUAGE`), end to end and across rejudges.

`POST /submissions` keeps the language of `?lang=`, else the best of
Accept-Language, among the languages the exercise's wording has (`en` when
none); the worker gives it to the check. Over real `judge api` and
`judge worker` processes, PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.config import Config
from service_support import Deployment, RedisServer, temporary_database, wait_done
from sqlalchemy import text

from runners.store.database import MIGRATIONS, Database

pytestmark = pytest.mark.slow

# A check that tells which language it was given, and passes.
SAYS_LANGUAGE = "import os\nprint(os.environ['LANGUAGE'])\n"
FILES = {
    "exercise.toml": 'title = "Polyglot"\nlanguages = ["python"]\n[checker]\nkind = "script"\n',
    "wording.md": "Write anything.\n",
    "wording.fr.md": "Écrivez ce que vous voulez.\n",
    "wording.pt-br.md": "Escreva o que quiser.\n",
    "check.py": SAYS_LANGUAGE,
}


@pytest.fixture
def cluster(tmp_path: Path, redis_server: RedisServer) -> Iterator[Deployment]:
    """`judge api` and a `judge worker` over PostgreSQL and Redis, with the `polyglot` exercise."""
    folder = tmp_path / "exercises" / "polyglot"
    folder.mkdir(parents=True)
    for name, content in FILES.items():
        (folder / name).write_text(content)
    with temporary_database("judge_reader") as url:
        env = {
            **os.environ,
            "JUDGE_DATA_DIR": str(tmp_path / "data"),
            "JUDGE_EXERCISES_DIR": str(folder.parent),
            "JUDGE_DATABASE_URL": url,
            "JUDGE_REDIS_URL": redis_server.url,
            "JUDGE_RATE_LIMIT": "10000",
        }
        deployment = Deployment(env, tmp_path)
        try:
            deployment.serve("api")
            deployment.run("worker")
            yield deployment
        finally:
            deployment.stop()


def submit(deployment: Deployment, auth: dict[str, str], query: str, accept: str | None) -> int:
    headers = {**auth, **({"Accept-Language": accept} if accept else {})}
    body = {"exercise": "polyglot", "language": "python", "source": "print(1)\n"}
    response = httpx.post(
        f"{deployment.base}/submissions{query}", json=body, headers=headers, timeout=60
    )
    assert response.status_code == 202, response.text
    submission_id: int = response.json()["id"]
    return submission_id


# (?lang=, Accept-Language, what the check sees)
ASKED = [
    ("", "fr", "fr"),
    ("", "fr-CA,fr;q=0.9,en;q=0.5", "fr"),
    ("", "de-DE,de;q=0.9", "en"),  # no German wording: English
    ("", "de, pt-BR;q=0.5", "pt"),  # the best it has; LANGUAGE is the primary subtag
    ("", None, "en"),
    ("?lang=fr", "en", "fr"),  # ?lang= wins
    ("?lang=xx", "fr", "fr"),  # ... when the exercise has it
]


def test_the_check_sees_the_submitters_language(cluster: Deployment) -> None:
    auth = cluster.token()
    ids = [submit(cluster, auth, query, accept) for query, accept, _ in ASKED]
    judged = wait_done(cluster.base, auth, ids, timeout=300)
    seen = [judged[i]["tests"][0]["message"] for i in ids]
    assert seen == [language for _, _, language in ASKED], cluster.logs()
    assert {judged[i]["verdict"] for i in ids} == {"AC"}

    # A rejudge keeps the language the submitter read the exercise in.
    french = ids[0]
    admin = cluster.token("admin")
    rejudged = httpx.post(f"{cluster.base}/submissions/{french}/rejudge", headers=admin)
    assert rejudged.status_code == 202 and rejudged.json() == {"count": 1}, rejudged.text
    again = wait_done(cluster.base, auth, [french], timeout=300)[french]
    assert again["tests"][0]["message"] == "fr"


def test_earlier_submissions_read_english_after_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'judge.db'}"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0002")
    old = Database(url)
    with old.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO submissions (exercise, language, source, status, tests, attempt,"
                 " failures, generation, created_at, enqueued_at)"
                 " VALUES ('sum', 'python', :source, 'done', '[]', 1, 0, 0, :at, :at)"),
            {"source": b"print(1)", "at": datetime(2024, 5, 1, tzinfo=UTC)},
        )  # fmt: skip
    old.close()
    db = Database(url)
    db.migrate()
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT reader_language FROM submissions")) == "en"
    db.close()
