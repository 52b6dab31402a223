"""Schemathesis against the schema the service itself serves, with an admin token, on
SQLite and on PostgreSQL: no 5xx, and every response as the schema describes it.

It runs `schemathesis run` (its command line: every phase, every check, its own
report) against a real `judge serve`, bounded in time. One check is left out,
on purpose: `positive_data_acceptance` expects any body the schema allows to be
taken, while the judge refuses some on their meaning (an unknown language, an
invalid exercise folder: 422) and reads bodies strictly (365.0 is no integer
to msgspec's strict mode, though JSON Schema calls it one: 400).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from service_support import Deployment, temporary_database

pytestmark = pytest.mark.slow

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKOUT_EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
SECONDS = 75  # per database: a few minutes in all


def fuzz(deployment: Deployment, tmp_path: Path) -> None:
    exercises = tmp_path / "fuzzed-exercises"  # the fuzzer creates and replaces exercises
    shutil.copytree(CHECKOUT_EXERCISES, exercises)
    deployment.env.update(
        JUDGE_EXERCISES_DIR=str(exercises), JUDGE_WORKERS="1", JUDGE_RUN_TIME_MAX="1"
    )
    deployment.serve()
    admin = deployment.token("admin")["Authorization"]
    report = subprocess.run(
        [str(SCHEMATHESIS), "run", f"http://127.0.0.1:{deployment.port}/schema/openapi.json",
         "--header", f"Authorization: {admin}", "--checks", "all",
         "--exclude-checks", "positive_data_acceptance", "--max-time", str(SECONDS),
         "--workers", "1", "--seed", "10", "--no-color"],
        capture_output=True, text=True, cwd=tmp_path, timeout=SECONDS * 4,
    )  # fmt: skip
    assert report.returncode == 0, report.stdout[-20000:] + report.stderr[-5000:]
    assert "Traceback" not in deployment.logs(), deployment.logs()


def test_the_served_schema_holds_on_sqlite(deployment: Deployment, tmp_path: Path) -> None:
    fuzz(deployment, tmp_path)


def test_the_served_schema_holds_on_postgresql(deployment: Deployment, tmp_path: Path) -> None:
    with temporary_database("judge_fuzz") as url:
        deployment.env["JUDGE_DATABASE_URL"] = url
        try:
            fuzz(deployment, tmp_path)
        finally:
            deployment.stop()  # before its database is dropped
