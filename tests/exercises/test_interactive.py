"""Interactive exercises through the real pipeline and sandbox: the program and
interactor.py talk through pipes, each in a sandbox of its own.

The interactor's verdict, the program's own status when it failed first, the
judge's failure when the interactor broke, what each side can see, and the
seed exercise verified.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from exercise_support import CHECKOUT, Judge, MakeFolder
from sandbox_support import assert_host_clean

from languages import CompileCache, build, get_language
from runners.judging.checkers import CHECKERS, Context, Judgement
from runners.judging.checkers.interactive import STOPPED, WAITED, WROTE_TOO_LATE
from runners.judging.exercise import CheckerKind, load_exercise
from runners.judging.failure import FailingRunner
from runners.judging.verdict import Verdict
from sandbox import RunResult, Sandbox, Status

SEED = CHECKOUT / "exercises" / "guess-the-number"

# Sends the test's number, expects its double back. No flush: the judge
# line-buffers the interactor's stdout.
DOUBLE = """\
import sys
print(open(sys.argv[1]).read().strip())
line = sys.stdin.readline()
if not line:
    sys.exit("No answer.")
expected = open(sys.argv[2]).read().strip()
if line.strip() != expected:
    sys.exit(f"Expected {expected}, got {line.strip()}.")
print("right")
"""
ASKED = "import sys\nprint(21)\ninput()\n"  # an interactor's start: asks, reads the answer
DOUBLING = "print(int(input()) * 2, flush=True)\n"
FLOOD_C = """\
#include <stdio.h>
int main(void) {
    int n;
    scanf("%d", &n);
    printf("%d\\n", 2 * n);
    fflush(stdout);
    for (;;) {  /* then writes on, to an interactor that ended */
        puts("1");
        fflush(stdout);
    }
}
"""


def folder(make_folder: MakeFolder, interactor: str, time: float = 0.5, **extra: str) -> Path:
    """An interactive exercise of one sample test: the number 21, its double 42."""
    toml = (
        f'title = "Talk"\n[limits]\ntime = {time}\nmemory = 64\n'
        f'[checker]\nkind = "interactive"\ntime = {time}\n'
    )
    files = {
        "exercise.toml": toml,
        "wording.md": "# Talk\n",
        "interactor.py": interactor,
        "tests/1-sample.in": "21\n",
        "tests/1-sample.out": "42\n",
        **extra,
    }
    return make_folder(files)


def judge_directly(
    box: Sandbox, cache: CompileCache, path: Path, language: str, source: str
) -> tuple[Judgement, RunResult]:
    """The interactive checker on the first test, with the program's own run."""
    exercise = load_exercise(path)
    runner = FailingRunner(box)
    built = build(get_language(language), source.encode(), runner, cache)
    assert built.program is not None, built
    context = Context(exercise, built.program, source.encode(), runner)
    return CHECKERS[CheckerKind.INTERACTIVE].judge(context, exercise.tests[0])


def test_accepted(make_folder: MakeFolder, run_judge: Judge) -> None:
    result = run_judge(folder(make_folder, DOUBLE), "python", DOUBLING)
    assert (result.verdict, result.score) == (Verdict.AC, 100), result
    assert [t.name for t in result.tests] == ["1-sample"]


def test_wrong_answer_with_the_interactors_message(
    make_folder: MakeFolder, run_judge: Judge
) -> None:
    result = run_judge(folder(make_folder, DOUBLE), "python", "input()\nprint(41)\n")
    assert result.verdict is Verdict.WA
    assert result.tests[0].message == "Expected 42, got 41."


@pytest.mark.parametrize("language", ["c", "python"])
def test_wrong_answer_stands_whatever_the_program_did_next(
    make_folder: MakeFolder, box: Sandbox, cache: CompileCache, language: str
) -> None:
    """The interactor says WA at once; the program writes on to a closed pipe."""
    path = folder(make_folder, ASKED + "sys.exit('Not that.')\n")
    flood = FLOOD_C if language == "c" else "while True:\n    print(1, flush=True)\n"
    judgement, run = judge_directly(box, cache, path, language, flood)
    assert (judgement.verdict, judgement.message) == (Verdict.WA, "Not that."), judgement
    assert run.status is Status.RE, run  # killed by the pipe (C) or BrokenPipeError (Python)
    if language == "c":
        assert run.signal == signal.SIGPIPE, run


def test_partial_credit(make_folder: MakeFolder, run_judge: Judge) -> None:
    interactor = ASKED + "sys.stderr.write('1/4\\nA quarter.\\n')\nsys.exit(7)\n"
    result = run_judge(folder(make_folder, interactor), "python", DOUBLING)
    assert (result.verdict, result.score) == (Verdict.PA, 25), result
    assert (result.tests[0].points, result.tests[0].message) == (25, "A quarter.")


def test_a_program_that_stops_talking_is_tle(make_folder: MakeFolder, run_judge: Judge) -> None:
    """Both wait for each other: the program reaches its wall time, the interactor goes on."""
    result = run_judge(folder(make_folder, DOUBLE), "python", "input()\ninput()\n")
    test = result.tests[0]
    assert test.verdict is Verdict.TLE, test
    assert test.message == f"Time limit exceeded (0.5 s CPU, 1.5 s wall). {WAITED}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("input()\nprint(1 / 0)\n", "ZeroDivisionError"),  # the interactor then reads the end
        ("import os\ninput()\nos.kill(os.getpid(), 11)\n", "Killed by signal 11 (SIGSEGV)."),
        ("print(int(input()) * 2, flush=True)\ninput()\nraise SystemExit(3)\n", "code 3"),
    ],
)
def test_a_program_that_crashes_is_re(
    make_folder: MakeFolder, run_judge: Judge, source: str, message: str
) -> None:
    result = run_judge(folder(make_folder, DOUBLE), "python", source)
    assert result.tests[0].verdict is Verdict.RE, result
    assert message in result.tests[0].message


def test_writing_after_the_interactor_accepted_is_re(
    make_folder: MakeFolder, run_judge: Judge
) -> None:
    result = run_judge(folder(make_folder, DOUBLE), "c", FLOOD_C)
    assert result.tests[0].verdict is Verdict.RE, result
    assert result.tests[0].message == f"Killed by signal 13 (SIGPIPE). {WROTE_TOO_LATE}"


@pytest.mark.parametrize(
    ("interactor", "message"),
    [
        ("print(21)\nanswer = input()\n", STOPPED),  # input() meets the program's end (EOFError)
        (DOUBLE, "No answer."),  # readline() does, the interactor says why
    ],
)
def test_a_program_that_ends_early_is_wa(
    make_folder: MakeFolder, run_judge: Judge, interactor: str, message: str
) -> None:
    result = run_judge(folder(make_folder, interactor), "python", "pass\n")
    assert (result.tests[0].verdict, result.tests[0].message) == (Verdict.WA, message), result


def test_what_a_program_gone_does_not_read_is_dropped(
    make_folder: MakeFolder, run_judge: Judge
) -> None:
    """The interactor writes on after the program's answer and exit: it still decides."""
    interactor = DOUBLE + "for _ in range(100_000):\n    print('more')\n"
    result = run_judge(folder(make_folder, interactor), "python", DOUBLING)
    assert result.verdict is Verdict.AC, result


@pytest.mark.parametrize(
    ("interactor", "logged"),
    [
        (ASKED + "raise ValueError('my bug')\n", "ValueError: my bug"),
        ("import pickle, io\npickle.load(io.BytesIO(b''))\n", "EOFError"),  # not the program's
        ("while True:\n    pass\n", "TLE (CPU time limit of 0.5 s exceeded)"),
        ("import time\ntime.sleep(60)\n", "TLE (wall time limit of 3.5 s exceeded)"),
        (ASKED + "sys.exit(3)\n", "RE (exit code 3)"),
        (ASKED + "sys.stderr.write('lots\\n')\nsys.exit(7)\n", "exit 7 without"),
        (ASKED + "sys.stderr.write('1.5\\n')\nsys.exit(7)\n", "b'1.5'"),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "RE (killed by SIGKILL)"),
    ],
)
def test_a_broken_interactor_is_internal_error(
    make_folder: MakeFolder,
    run_judge: Judge,
    caplog: pytest.LogCaptureFixture,
    interactor: str,
    logged: str,
) -> None:
    result = run_judge(folder(make_folder, interactor), "python", DOUBLING)
    assert result.verdict is Verdict.IE, result
    assert (result.tests[0].verdict, result.tests[0].points) == (Verdict.IE, 0)
    assert result.failure is not None and "interactor of demo/1-sample failed" in result.failure
    assert "interactor of demo/1-sample failed" in caplog.text and logged in caplog.text


def test_the_program_sees_no_test_file(make_folder: MakeFolder, run_judge: Judge) -> None:
    """The program looks for the test's files where they are on the host and beside it."""
    path = folder(make_folder, "import sys\nsys.stderr.write(input())\n")
    tests = path / "tests"
    candidates = [
        *(str(tests / name) for name in ("1-sample.in", "1-sample.out")),
        *(str(path / name) for name in ("interactor.py", "exercise.toml")),
        "input", "expected", "interactor.py", "/box/input", "/box/expected",
        "solution.py",  # its own file: the look works
    ]  # fmt: skip
    looker = f"""\
import json, os
opened = []
for name in {candidates!r}:
    try:
        open(name, "rb").close()
        opened.append(name)
    except OSError:
        pass
commands = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        commands.append(open(f"/proc/{{pid}}/cmdline", "rb").read().decode())
    except OSError:
        pass
print(json.dumps({{"opened": opened, "box": sorted(os.listdir(".")), "commands": commands}}))
"""
    result = run_judge(path, "python", looker)
    assert result.verdict is Verdict.AC, result
    seen = json.loads(result.tests[0].message)
    assert seen["opened"] == ["solution.py"], seen
    assert seen["box"] == ["solution.py"], seen
    assert seen["commands"] and not [c for c in seen["commands"] if "interactor" in c], seen


def test_the_interactor_sees_nothing_of_the_program(
    make_folder: MakeFolder, run_judge: Judge, box: Sandbox
) -> None:
    """The program leaves a file and a process; the interactor looks for both."""
    program = """\
import os, time
open("program-secret", "w").write("mine")
if os.fork() == 0:
    time.sleep(60)  # a process of the program, alive while the interactor looks
print("ready", flush=True)
input()
"""
    looker = """\
import json, os, sys
input()
commands = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        commands.append(open(f"/proc/{pid}/cmdline", "rb").read().decode())
    except OSError:
        pass
names = ("program-secret", "/box/program-secret", "solution.py", "input")  # input: its own
found = [name for name in names if os.path.exists(name)]
box = sorted(os.listdir("."))
sys.stderr.write(json.dumps({"box": box, "found": found, "commands": commands}))
print("bye")
"""
    result = run_judge(folder(make_folder, looker), "python", program)
    assert result.verdict is Verdict.AC, result
    seen = json.loads(result.tests[0].message)
    assert seen["found"] == ["input"], seen
    assert seen["box"] == ["expected", "input", "interactor.py", "run_interactor.py"], seen
    assert seen["commands"], seen  # its own processes: the look works
    assert not [c for c in seen["commands"] if "solution" in c or "program" in c], seen
    assert_host_clean(box)  # the program's sleeping child did not outlive the test


def test_the_programs_own_time_and_memory(make_folder: MakeFolder, run_judge: Judge) -> None:
    """The program burns 0.2 s and 24 MiB, the interactor far more: the program's are reported."""
    program = """\
import time
n = int(input())
data = b"x" * (24 << 20)
while time.process_time() < 0.2:
    pass
print(2 * n, flush=True)
"""
    interactor = """\
import time
print(21)
input()
data = b"x" * (160 << 20)
while time.process_time() < 0.6:
    pass
"""
    result = run_judge(folder(make_folder, interactor, time=1.0), "python", program)
    test = result.tests[0]
    assert test.verdict is Verdict.AC, result
    assert 0.2 <= test.time < 0.6, test
    assert 24 << 20 <= test.memory < 160 << 20, test


def test_seed_exercise_is_verified(cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    done = cli("exercises", "verify", SEED, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    got = {row["solution"]: row["got"] for row in report["results"]}
    assert report["mismatches"] == 0 and set(got.values()) == {"AC", "PA", "WA", "TLE", "RE"}
    for language in (".py", ".cpp"):
        verdicts = {got[name] for name in got if name.endswith(language)}
        assert verdicts == {"AC", "PA", "WA", "TLE", "RE"}, (language, got)


def test_judge_submit_shows_the_tests(
    cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = cli("submit", SEED / "solutions" / "pa-quarter.py", "--exercise", SEED, "--json")
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "PA"
    assert [(t["name"], t["verdict"]) for t in result["tests"]] == [
        ("1-sample", "AC"),
        ("2-lowest", "AC"),
        ("3-highest", "PA"),
        ("4-large", "PA"),
    ]
    assert result["tests"][2]["message"] == "Found in 22 guesses; 10 earn all the points."
