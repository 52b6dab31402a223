"""`judge run`: the contract's command line, JSON and exit codes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Judge = Callable[..., subprocess.CompletedProcess[bytes]]
KEYS = {
    "status",
    "exit_code",
    "signal",
    "time",
    "wall_time",
    "memory",
    "stdout",
    "stderr",
    "compile_output",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def run_json(judge: Judge, *args: str | Path) -> tuple[int, dict[str, object]]:
    done = judge("run", *args, "--json")
    assert b"Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def test_json_has_exactly_the_contract_keys(judge: Judge, tmp_path: Path) -> None:
    source = write(tmp_path, "sum.py", "print(sum(map(int, input().split())))\n")
    stdin = write(tmp_path, "in.txt", "2 40\n")
    code, result = run_json(judge, source, "--stdin", stdin)
    assert code == 0
    assert set(result) == KEYS
    assert (result["status"], result["stdout"], result["exit_code"]) == ("OK", "42\n", 0)
    assert result["signal"] is None
    assert result["compile_output"] == ""
    assert isinstance(result["memory"], int) and result["memory"] > 0
    assert isinstance(result["time"], float) and isinstance(result["wall_time"], float)


def test_compile_error_is_a_status(judge: Judge, tmp_path: Path) -> None:
    code, result = run_json(judge, write(tmp_path, "bad.c", "int main( {\n"))
    assert code == 1
    assert set(result) == KEYS
    assert result["status"] == "CE"
    assert "bad" not in str(result["compile_output"])  # the compiler sees solution.c
    assert "solution.c:1" in str(result["compile_output"])
    assert (result["exit_code"], result["stdout"]) == (None, "")


def test_runtime_error_exit_code(judge: Judge, tmp_path: Path) -> None:
    code, result = run_json(judge, write(tmp_path, "x.rs", "fn main() { std::process::exit(4) }\n"))
    assert code == 1
    assert (result["status"], result["exit_code"]) == ("RE", 4)


def test_limits_are_applied(judge: Judge, tmp_path: Path) -> None:
    source = write(tmp_path, "big.py", "x = b'x' * (200 * 2**20)\n")
    code, result = run_json(judge, source)
    assert (code, result["status"]) == (0, "OK")  # fits the default 256 MiB
    code, result = run_json(judge, source, "--memory-limit", "64")
    assert (code, result["status"]) == (1, "MLE")
    code, result = run_json(
        judge, write(tmp_path, "loop.py", "while 1: pass\n"), "--time-limit", "0.5"
    )
    assert (code, result["status"]) == (1, "TLE")


def test_output_bytes_are_preserved(judge: Judge, tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "bytes.py",
        "import sys\nsys.stdout.buffer.write('h\u00e9 \u2713 '.encode() + b'\\xff\\n')\n"
        "sys.stderr.buffer.write(b'\\xc3(')\n",
    )
    code, result = run_json(judge, source)
    assert code == 0
    assert result["stdout"] == "h\u00e9 \u2713 \ufffd\n"
    assert result["stderr"] == "\ufffd("
    done = judge("run", source, env={"LC_ALL": "C", "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0
    assert done.stdout == "h\u00e9 \u2713 \ufffd\n".encode()
    assert done.stderr.startswith("\ufffd(".encode())
    assert b"judge run: OK" in done.stderr


def test_stdin_from_our_stdin(judge: Judge, tmp_path: Path) -> None:
    source = write(tmp_path, "cat.py", "import sys\nprint(sys.stdin.read().upper(), end='')\n")
    done = judge("run", source, "--stdin", "-", input=b"abc\n")
    assert (done.returncode, done.stdout) == (0, b"ABC\n")


def test_language_option_beats_the_extension(judge: Judge, tmp_path: Path) -> None:
    source = write(tmp_path, "program.txt", "print('as python')\n")
    code, result = run_json(judge, source, "--language", "python")
    assert (code, result["stdout"]) == (0, "as python\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.py"], "cannot read missing.py"),
        (["notes.txt"], "cannot tell the language of notes.txt"),
        (["ok.py", "--language", "cobol"], "unknown language 'cobol'"),
        (["ok.py", "--stdin", "missing.in"], "cannot read missing.in"),
        (["ok.py", "--time-limit", "0"], "must be more than 0"),
        (["ok.py", "--time-limit", "fast"], "not a number"),
        (["ok.py", "--memory-limit", "-5"], "must be more than 0"),
        (["ok.py", "--memory-limit", "1.5"], "not a whole number"),
    ],
)
def test_bad_usage_exits_2_with_a_message(
    judge: Judge, tmp_path: Path, args: list[str], message: str
) -> None:
    write(tmp_path, "ok.py", "print(1)\n")
    write(tmp_path, "notes.txt", "hello\n")
    done = judge("run", *args)  # in tmp_path
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_python_sees_the_configured_packages(judge: Judge, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    write(site, "judge_extra_package.py", "ANSWER = 42\n")
    source = write(
        tmp_path, "uses.py", "import judge_extra_package\nprint(judge_extra_package.ANSWER)\n"
    )
    done = judge("run", source, "--json", env={"JUDGE_PYTHON_PATH": str(site)})
    assert (done.returncode, json.loads(done.stdout)["stdout"]) == (0, "42\n")
    done = judge("run", source, "--json")
    assert b"ModuleNotFoundError" in done.stdout  # not there unless configured
