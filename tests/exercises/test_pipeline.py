"""The judging pipeline in the real sandbox: verdicts, messages, scoring, subtasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_support import Judge, MakeFolder, basic

from languages import CompileCache
from runners.judging.exercise import load_exercise
from runners.judging.pipeline import LanguageNotAllowed, judge
from runners.judging.results import TestResult
from runners.judging.verdict import Verdict
from sandbox import RunRequest, RunResult, Sandbox, SandboxError

ECHO = "import sys\nsys.stdout.write(sys.stdin.read())\n"


def test_accepted_and_streamed(make_folder: MakeFolder, box: Sandbox, cache: CompileCache) -> None:
    exercise = load_exercise(make_folder(basic()))
    seen: list[TestResult] = []
    result = judge(exercise, "python", ECHO.encode(), box, seen.append, cache=cache)
    assert result.verdict is Verdict.AC
    assert result.score == result.max_score == 100
    assert [t.name for t in seen] == ["1-sample", "2-hidden"] == [t.name for t in result.tests]
    assert [t.points for t in result.tests] == [50, 50]
    assert all(t.memory > 0 and t.verdict is Verdict.AC for t in result.tests)
    assert not result.compile_output  # Python's syntax check says nothing


def test_wrong_answer_shows_data_of_samples_only(make_folder: MakeFolder, run_judge: Judge) -> None:
    result = run_judge(make_folder(basic()), "python", "print(input() + '0')")
    assert result.verdict is Verdict.WA
    sample, hidden = result.tests
    assert sample.message == "Wrong answer on line 1: expected '1', got '10'."
    assert hidden.message == "Wrong answer on line 1."
    assert "secret" not in hidden.message


def test_crash_hides_stderr_of_hidden_tests(make_folder: MakeFolder, run_judge: Judge) -> None:
    source = "import sys\nline = input()\nprint(line, file=sys.stderr)\nraise SystemExit(3)\n"
    result = run_judge(make_folder(basic()), "python", source)
    assert result.verdict is Verdict.RE
    sample, hidden = result.tests
    assert sample.message.startswith("Exited with code 3.") and "1" in sample.message
    assert hidden.message == "Exited with code 3."


def test_limits(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = make_folder(basic('title = "x"\n[limits]\ntime = 0.3\nmemory = 32\n'))
    assert run_judge(folder, "python", "while True: pass").verdict is Verdict.TLE
    hog = "x = bytearray(1 << 20)\nkeep = []\nwhile True: keep.append(bytearray(1 << 20))\n"
    result = run_judge(folder, "python", hog)
    assert result.verdict is Verdict.MLE
    assert result.tests[0].message == "Memory limit exceeded (32 MiB)."


def test_compile_error_runs_no_test(make_folder: MakeFolder, run_judge: Judge) -> None:
    result = run_judge(make_folder(basic()), "c", "int main(void) { return 0 }")
    assert result.verdict is Verdict.CE
    assert result.tests == [] and result.score == 0 and result.max_score == 100
    assert result.compile_output and "error" in result.compile_output


def test_language_must_be_accepted(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = make_folder(basic('title = "x"\nlanguages = ["c"]\n'))
    with pytest.raises(LanguageNotAllowed, match="accepts c, not python"):
        run_judge(folder, "python", ECHO)


SUBTASKS = """title = "Subtasks"
[[subtasks]]
tests = ["a-*"]
points = 40
[[subtasks]]
tests = ["b-*"]
points = 60
stop_on_failure = true
"""


def subtask_folder(make_folder: MakeFolder) -> Path:
    files: dict[str, str | bytes] = {"exercise.toml": SUBTASKS, "wording.md": "x"}
    for name in ("a-1", "a-2", "b-1", "b-2", "b-3"):
        files[f"tests/{name}.in"] = f"{name}\n"
        files[f"tests/{name}.out"] = f"{name}\n"
    return make_folder(files)


def test_subtasks_all_or_nothing_and_stop(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = subtask_folder(make_folder)
    source = "s = input()\nprint('no' if s == 'b-2' else s)\n"
    result = run_judge(folder, "python", source)
    assert result.verdict is Verdict.WA
    assert result.score == 40 and result.max_score == 100
    verdicts = [(t.name, t.verdict, t.points) for t in result.tests]
    assert verdicts == [
        ("a-1", Verdict.AC, 20),
        ("a-2", Verdict.AC, 20),
        ("b-1", Verdict.AC, 0),
        ("b-2", Verdict.WA, 0),
        ("b-3", Verdict.WA, 0),
    ]
    assert result.tests[4].message == "Not run: test b-2 of its subtask failed (WA)."
    assert result.tests[4].time == 0


def test_subtask_failure_without_stop_runs_everything(
    make_folder: MakeFolder, run_judge: Judge
) -> None:
    folder = subtask_folder(make_folder)
    result = run_judge(folder, "python", "s = input()\nprint('no' if s == 'a-1' else s)\n")
    assert [t.verdict for t in result.tests] == [Verdict.WA] + [Verdict.AC] * 4
    assert result.score == 60


def custom(checker: str, time: float = 10) -> dict[str, str | bytes]:
    toml = f'title = "x"\n[checker]\nkind = "custom"\ntime = {time}\n'
    return basic(toml, **{"checker.py": checker})


def test_custom_checker_verdicts(make_folder: MakeFolder, run_judge: Judge) -> None:
    checker = """import sys
given, expected, actual = (open(n).read() for n in sys.argv[1:])
if actual.strip() == expected.strip():
    print("good"); sys.exit(0)
if actual.strip() == "half":
    print("1/2\\nhalf right"); sys.exit(7)
if actual.strip() == "format":
    print("presentation"); sys.exit(2)
print("bad input was " + given.strip()); sys.exit(1)
"""
    folder = make_folder(custom(checker))
    accepted = run_judge(folder, "python", ECHO)
    assert accepted.verdict is Verdict.AC and accepted.tests[0].message == "good"
    half = run_judge(folder, "python", "print('half')")
    assert half.verdict is Verdict.PA and half.score == 50
    assert [t.points for t in half.tests] == [25, 25] and half.tests[0].message == "half right"
    assert run_judge(folder, "python", "print('format')").verdict is Verdict.WA
    wrong = run_judge(folder, "python", "print('x')")
    assert wrong.verdict is Verdict.WA and wrong.tests[0].message == "bad input was 1"


@pytest.mark.parametrize(
    "checker",
    [
        "raise RuntimeError('checker bug')",  # crash
        "while True: pass",  # timeout
        "import sys; print('lots'); sys.exit(7)",  # partial without a fraction
        "import sys; print('1.5'); sys.exit(7)",  # fraction out of range
        "import sys; sys.exit(3)",  # unknown code
        "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",  # killed
    ],
)
def test_broken_custom_checker_is_internal_error(
    make_folder: MakeFolder, run_judge: Judge, checker: str, caplog: pytest.LogCaptureFixture
) -> None:
    result = run_judge(make_folder(custom(checker, time=0.5)), "python", ECHO)
    assert result.verdict is Verdict.IE
    assert all(t.verdict is Verdict.IE and t.points == 0 for t in result.tests)
    assert result.score == 0
    assert "custom checker of demo/1-sample failed" in caplog.text


class BrokenSandbox:
    """A sandbox whose supervisor died: every run raises."""

    def run(self, request: RunRequest) -> RunResult:
        raise SandboxError("supervisor is gone")


def test_sandbox_failure_is_internal_error(
    make_folder: MakeFolder, box: Sandbox, cache: CompileCache, caplog: pytest.LogCaptureFixture
) -> None:
    exercise = load_exercise(make_folder(basic()))
    fresh = judge(exercise, "python", b"print('not in the cache')", BrokenSandbox(), cache=cache)
    assert fresh.verdict is Verdict.IE  # the build failed: no test ran
    assert fresh.tests == [] and fresh.score == 0
    judge(exercise, "python", ECHO.encode(), box, cache=cache)  # now in the compile cache
    cached = judge(exercise, "python", ECHO.encode(), BrokenSandbox(), cache=cache)
    assert [t.verdict for t in cached.tests] == [Verdict.IE, Verdict.IE]  # built before
    assert "supervisor is gone" in caplog.text


def test_huge_output_is_compared_whole(make_folder: MakeFolder, run_judge: Judge) -> None:
    """Outputs far over the default kept size (64 KiB) are checked to the last byte."""
    lines = 400_000  # about 2.7 MB
    expected = "".join(f"{i}\n" for i in range(lines))
    files = {
        "exercise.toml": 'title = "Big"\n',
        "wording.md": "x",
        "tests/big.in": f"{lines}\n",
        "tests/big.out": expected,
    }
    folder = make_folder(files)
    write = "import sys\nn = int(input())\nsys.stdout.write(''.join(f'{i}\\n' for i in range(n)))\n"
    assert run_judge(folder, "python", write).verdict is Verdict.AC
    short = write.replace("range(n)", "range(n - 1)") + "print(0)\n"
    last_wrong = run_judge(folder, "python", short)
    assert last_wrong.verdict is Verdict.WA
    assert last_wrong.tests[0].message == f"Wrong answer on line {lines}."
