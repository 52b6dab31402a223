"""Script checks (check.py in the sandbox) and the judge_check helper module."""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_support import Judge, MakeFolder

from runners.judging.verdict import Verdict

TOML = (
    'title = "Add"\nlanguages = ["python", "c"]\n[limits]\ntime = 1\n[checker]\nkind = "script"\n'
)

HELPER_CHECK = """import judge_check as jc

try:
    got = jc.call("add", 2, 3, timeout=1)
except jc.StudentError as error:
    jc.fail(str(error))
jc.expect(got, 5, "`add(2, 3)` returned")
jc.passed("Right!")
"""

# HackInScience style: the solution is imported into the check's own process.
IN_PROCESS_CHECK = """import sys
from solution import add

if add(2, 3) != 5:
    print("`add(2, 3)` is wrong")
    sys.exit(1)
print("Right!")
"""

PROGRAM_CHECK = """import judge_check as jc

result = jc.run(stdin="2 3\\n")
jc.expect(result.stdout.strip(), "5", "For `2 3` you printed")
jc.passed("Right!")
"""

EXIT_AT_IMPORT = "import os\nos._exit(0)\ndef add(a, b):\n    return 0\n"
PATCH_EXIT = (
    "import os, sys\nsys.exit = lambda *a: os._exit(0)\nos._exit = lambda *a: None\n"
    "def add(a, b):\n    return 0\n"
)


def folder_with(make_folder: MakeFolder, check: str, **extra: str) -> Path:
    return make_folder({"exercise.toml": TOML, "wording.md": "x", "check.py": check, **extra})


def test_helper_check_passes_and_fails(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = folder_with(make_folder, HELPER_CHECK)
    accepted = run_judge(folder, "python", "def add(a, b):\n    return a + b\n")
    assert accepted.verdict is Verdict.AC and accepted.score == 100
    (test,) = accepted.tests
    assert (test.name, test.message) == ("check", "Right!")
    wrong = run_judge(folder, "python", "def add(a, b):\n    return a - b\n")
    assert wrong.verdict is Verdict.WA and wrong.score == 0
    assert "`add(2, 3)` returned" in wrong.tests[0].message and "-1" in wrong.tests[0].message
    loops = run_judge(folder, "python", "def add(a, b):\n    while True: pass\n")
    assert loops.verdict is Verdict.WA and "did not finish within 1 s" in loops.tests[0].message
    raises = run_judge(folder, "python", "def add(a, b):\n    raise KeyError('k')\n")
    assert "KeyError" in raises.tests[0].message


@pytest.mark.parametrize("source", [EXIT_AT_IMPORT, PATCH_EXIT])
def test_helper_check_cannot_be_fooled(
    make_folder: MakeFolder, run_judge: Judge, source: str
) -> None:
    result = run_judge(folder_with(make_folder, HELPER_CHECK), "python", source)
    assert result.verdict is Verdict.WA
    assert result.score == 0


def test_in_process_check_can_be_fooled(make_folder: MakeFolder, run_judge: Judge) -> None:
    """The documented limit of checks importing the solution in their own process."""
    folder = folder_with(make_folder, IN_PROCESS_CHECK)
    assert run_judge(folder, "python", "def add(a, b):\n    return 1\n").verdict is Verdict.WA
    assert run_judge(folder, "python", EXIT_AT_IMPORT).verdict is Verdict.AC


def test_check_runs_a_compiled_program(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = folder_with(make_folder, PROGRAM_CHECK)
    good = '#include <stdio.h>\nint main(void){int a,b;scanf("%d %d",&a,&b);printf("%d\\n",a+b);}\n'
    assert run_judge(folder, "c", good).verdict is Verdict.AC
    assert (
        run_judge(folder, "python", "print(sum(map(int, input().split())))").verdict is Verdict.AC
    )
    bad = run_judge(folder, "c", '#include <stdio.h>\nint main(void){puts("4");}\n')
    assert bad.verdict is Verdict.WA and "For `2 3` you printed" in bad.tests[0].message


def test_check_sees_the_source_and_testenv(make_folder: MakeFolder, run_judge: Judge) -> None:
    check = """import os, sys
assert open("data.txt").read() == "hello\\n"
source = open(os.environ["JUDGE_SOLUTION"]).read()
if "while" in source:
    print("Please do not use `while` here.")
    sys.exit(1)
"""
    folder = folder_with(make_folder, check, **{"testenv/data.txt": "hello\n"})
    assert run_judge(folder, "python", "x = 1\n").verdict is Verdict.AC
    refused = run_judge(folder, "python", "while False: pass\n")
    assert refused.verdict is Verdict.WA
    assert refused.tests[0].message == "Please do not use `while` here."


def test_a_check_running_too_long_is_reported(make_folder: MakeFolder, run_judge: Judge) -> None:
    toml = TOML + "time = 0.5\n"
    folder = make_folder({"exercise.toml": toml, "wording.md": "x", "check.py": "while True: pass"})
    result = run_judge(folder, "python", "x = 1\n")
    assert result.verdict is Verdict.TLE
    assert result.tests[0].message == "Checker timed out, look for infinite loops maybe?"
