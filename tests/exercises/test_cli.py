"""`judge submit` and `judge exercises`: output, exit codes, clear usage errors."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from exercise_support import MakeFolder, basic

Cli = Callable[..., subprocess.CompletedProcess[str]]


def source(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_submit_json(make_folder: MakeFolder, cli: Cli, tmp_path: Path) -> None:
    folder = make_folder(basic())
    done = cli("submit", source(tmp_path, "a.py", "print(input())"), "--exercise", folder, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"verdict", "score", "max_score", "compile_output", "tests"}
    assert (result["verdict"], result["score"], result["max_score"]) == ("AC", 100, 100)
    assert [set(t) for t in result["tests"]] == [
        {"name", "verdict", "time", "memory", "points", "message"}
    ] * 2


def test_submit_human_output_and_failure_exit(
    make_folder: MakeFolder, cli: Cli, tmp_path: Path
) -> None:
    folder = make_folder(basic())
    done = cli("submit", source(tmp_path, "a.py", "print(0)"), "--exercise", folder)
    assert done.returncode == 1
    assert "1-sample" in done.stdout and "WA" in done.stdout
    assert done.stdout.rstrip().endswith("verdict WA, score 0/100")


def test_submit_by_slug(cli: Cli, tmp_path: Path) -> None:
    hello = source(tmp_path, "hello.py", 'print("Hello, World!")\n')
    done = cli("submit", hello, "--exercise", "hello-world", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verdict"] == "AC"


def test_submit_usage_errors(make_folder: MakeFolder, cli: Cli, tmp_path: Path) -> None:
    folder = make_folder(basic('title = "x"\nlanguages = ["c"]\n'))
    good = source(tmp_path, "a.py", "print(1)")
    cases = [
        (("submit", tmp_path / "missing.py", "--exercise", folder), "cannot read"),
        (("submit", good, "--exercise", "no-such-exercise"), "no such exercise"),
        (("submit", good, "--exercise", folder), "accepts c, not python"),
        (("submit", source(tmp_path, "a.txt", "x"), "--exercise", folder), "cannot tell"),
        (("submit", good, "--exercise", folder, "--language", "cobol"), "unknown language"),
        (("submit", good), "--exercise"),
    ]
    for args, message in cases:
        done = cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_submit_broken_exercise(make_folder: MakeFolder, cli: Cli, tmp_path: Path) -> None:
    folder = make_folder(basic('title = "x"\n[limits]\ntime = "slow"\n'))
    done = cli("submit", source(tmp_path, "a.py", "print(1)"), "--exercise", folder)
    assert done.returncode == 2
    assert "[limits] time: expected a number, got 'slow'" in done.stderr


def test_verify_reports_mismatches(make_folder: MakeFolder, cli: Cli) -> None:
    folder = make_folder(
        basic(
            **{
                "solutions/ac.py": "print(input())",
                "solutions/wa-claims-ac.py": "print(input())",
                "solutions/notes.py": "print(1)",
            }
        )
    )
    make_folder(basic("title = 1"), "broken")
    done = cli("exercises", "verify", folder.parent)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(line.startswith("[ok] demo/ac.py: expected AC, got AC") for line in lines)
    table = [line.split() for line in lines if line.startswith(("demo ", "broken "))]
    assert ["demo", "ac.py", "AC", "AC", "OK"] in table
    assert ["demo", "wa-claims-ac.py", "WA", "AC", "MISMATCH"] in table
    assert ["demo", "notes.py", "?", "-", "MISMATCH"] in table
    assert ["broken", "-", "valid", "invalid", "MISMATCH"] in table
    assert "1 OK, 3 MISMATCH" in done.stdout


def test_verify_one_good_folder(make_folder: MakeFolder, cli: Cli) -> None:
    folder = make_folder(
        basic(**{"solutions/ac.py": "print(input())", "solutions/re.py": "raise SystemExit(1)"})
    )
    done = cli("exercises", "verify", folder, "--workers", "1")
    assert done.returncode == 0, done.stdout
    assert "2 OK, 0 MISMATCH" in done.stdout


def test_verify_usage_error(cli: Cli, tmp_path: Path) -> None:
    done = cli("exercises", "verify", tmp_path / "nowhere")
    assert done.returncode == 2 and "not a folder" in done.stderr


def test_import_hkis_command(cli: Cli, tmp_path: Path) -> None:
    source_folder = tmp_path / "hkis" / "hello"
    source_folder.mkdir(parents=True)
    (source_folder / "check.py").write_text("import correction_helper\nimport numpy.linalg\n")
    (source_folder / "wording_en.md").write_text("# Hello\n")
    done = cli("exercises", "import-hkis", tmp_path / "hkis", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert f"hello: created, from {source_folder}" in done.stdout
    assert "1 HackInScience exercises into" in done.stdout
    assert "1 created, 0 updated, 0 unchanged, 0 failed" in done.stdout
    assert "Their checks import: correction-helper numpy." in done.stdout
    assert (tmp_path / "out" / "hello" / "exercise.toml").is_file()
    (source_folder / "wording_fr.md").write_text("# Bonjour\n")
    again = cli("exercises", "import-hkis", tmp_path / "hkis", tmp_path / "out")
    assert again.returncode == 0, again.stderr
    assert "hello: updated (wording.fr.md), from" in again.stdout
    (tmp_path / "out" / "hello" / "meta").unlink()  # no longer marked as imported
    refused = cli("exercises", "import-hkis", tmp_path / "hkis", tmp_path / "out")
    assert refused.returncode == 1
    assert "hello: FAILED" in refused.stdout and "left alone" in refused.stdout
    nothing = cli("exercises", "import-hkis", tmp_path / "out" / "missing", tmp_path / "out")
    assert nothing.returncode == 2 and "no HackInScience exercise" in nothing.stderr


def test_verify_strict_and_json(make_folder: MakeFolder, cli: Cli) -> None:
    make_folder(basic(**{"solutions/wa.py": "print(0)"}), "no-ac")
    make_folder(basic(), "no-solutions")
    folder = make_folder(basic(**{"solutions/ac.py": "print(input())"}), "good")
    lenient = cli("exercises", "verify", folder.parent, "--json")
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    report = json.loads(lenient.stdout)  # stdout is the JSON alone; progress is on stderr
    assert (report["ok"], report["mismatches"]) == (3, 0)
    assert "[ok] good/ac.py: expected AC, got AC" in lenient.stderr
    strict = cli("exercises", "verify", folder.parent, "--json", "--strict")
    assert strict.returncode == 1
    results = json.loads(strict.stdout)["results"]
    failed = {(r["exercise"], r["expected"], r["got"]) for r in results if not r["ok"]}
    assert failed == {("no-ac", "ac*", "none"), ("no-solutions", "ac*", "none")}
    assert set(results[0]) == {"exercise", "solution", "expected", "got", "ok", "note"}
    table = cli("exercises", "verify", folder.parent, "--strict")
    assert table.returncode == 1 and "2 OK, 2 MISMATCH" in table.stdout


def test_verify_prints_whole_lines_from_parallel_workers(
    make_folder: MakeFolder, cli: Cli
) -> None:
    files = {f"solutions/ac-{n}-{'x' * 200}.py": "print(input())" for n in range(16)}
    folder = make_folder(basic(**files))
    done = cli("exercises", "verify", folder, "--workers", "4")
    assert done.returncode == 0, done.stdout
    progress = [line for line in done.stdout.splitlines() if line.startswith("[")]
    assert len(progress) == 16
    pattern = re.compile(r"\[ok\] demo/ac-\S+\.py: expected AC, got AC \(score 100/100\)")
    assert all(pattern.fullmatch(line) for line in progress), progress
