"""HackInScience's exercises judged here as HackInScience judged them: same verdict, same message.

The exercises in tests/exercises/hkis-exercises are imported with
`judge exercises import-hkis`, then each submission is judged twice: by the
judge (in the real sandbox) and bare, the way HackInScience's worker ran a
check (hkis-website's hkis/tasks.py: `solution` and `check.py` in a fresh
folder that is also HOME, `pre_check.py` run first whatever it does, then
`python3 -u ./check.py` with stderr into stdout, LANGUAGE set, the output
decoded with backslash escapes, NUL shown as `\\x00`, the folder taken out of
traceback paths, 65,536 characters kept, exit 0 passes), with the same
Python and the same packages (/opt/judge-checks, from .ci/install).
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from exercise_support import HKIS_EXERCISES, JUDGE

from languages import CompileCache, get_language
from languages.python import DEFAULT_PACKAGES
from runners.judging.checkers.script import CONGRATULATIONS
from runners.judging.exercise import load_exercise
from runners.judging.hkis import import_hkis
from runners.judging.pipeline import judge
from runners.judging.results import SubmissionResult
from runners.judging.verdict import Verdict
from sandbox import Sandbox

FIXED = """print("Gonna knock three times:")
for i in range(3):
    print("*knock*")
print("- Who's there?")
"""
HELLO_C = '#include <stdio.h>\n\nint main(void)\n{\n    printf("Hello World\\n");\n}\n'


@dataclass(frozen=True)
class Bare:
    """What HackInScience's worker made of a check: passed or not, and the message."""

    passed: bool
    message: str


def python() -> str:
    return str(get_language("python").toolchain_path)


def run_bare(folder: Path, source: str, language: str = "en") -> Bare:
    """The check of `folder` on `source`, run as HackInScience's worker ran it, minus firejail."""
    assert DEFAULT_PACKAGES.is_dir(), f"{DEFAULT_PACKAGES} is missing: run `bash .ci/install`"
    with tempfile.TemporaryDirectory(prefix="hkis") as work:
        (Path(work) / "check.py").write_bytes((folder / "check.py").read_bytes())
        (Path(work) / "solution").write_text(source, encoding="UTF-8")
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": work,  # firejail --private: the folder is the home
            "LANG": "C.UTF-8",
            "LANGUAGE": language,
            "PYTHONPATH": str(DEFAULT_PACKAGES),
        }
        if (folder / "pre_check.py").is_file():  # run, and its failure only logged
            (Path(work) / "pre_check.py").write_bytes((folder / "pre_check.py").read_bytes())
            run = [python(), "pre_check.py"]
            subprocess.run(run, cwd=work, env=env, stdin=subprocess.DEVNULL, capture_output=True)
        done = subprocess.run(
            [python(), "-u", "./check.py"],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=40,
        )
        text = done.stdout.decode("UTF-8", "backslashreplace").replace("\0", r"\x00")
        text = text.replace(f'File "{work}/', 'File "')[:65_536]
        # The same folder is /box in the sandbox; both are trimmed of blank edges.
        return Bare(done.returncode == 0, text.replace(work, "/box").rstrip().lstrip("\n"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HackInScience exercises kept in tests/, imported as a user would, in one command."""
    out = tmp_path_factory.mktemp("imported")
    done = subprocess.run(
        [str(JUDGE), "exercises", "import-hkis", str(HKIS_EXERCISES), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 created, 0 updated, 0 unchanged, 0 failed" in done.stdout
    return out


def judged(
    box: Sandbox, cache: CompileCache, folder: Path, language: str, source: str, reader: str = "en"
) -> SubmissionResult:
    exercise = load_exercise(folder)
    return judge(exercise, language, source.encode(), box, cache=cache, reader_language=reader)


def source_of(imported: Path, slug: str) -> Path:
    """The HackInScience folder an imported exercise came from (its meta says which)."""
    url = json.loads((imported / slug / "meta").read_text())["url"]
    return next(
        meta.parent
        for meta in HKIS_EXERCISES.glob("*/*/meta")
        if json.loads(meta.read_text())["url"] == url
    )


def assert_same(result: SubmissionResult, bare: Bare) -> None:
    (test,) = result.tests
    assert (test.verdict is Verdict.AC) == bare.passed, (test, bare)
    assert result.verdict is test.verdict
    assert test.message == bare.message


# (slug, language, submission): the message is the check's own, so it must match exactly
EXPLAINED = [
    ("print-42", "python", "print(42)\n"),
    ("print-42", "python", 'print("hello world")\n'),
    ("print-42", "python", "42\n"),
    ("print-42", "python", "print(42\n"),  # does not compile: no CE, the check explains
    ("nsi-print-42", "python", "print(42)\n"),
    ("nsi-print-42", "python", "print('42')\n"),
    ("nsi-print-42", "python", "42\n"),
    ("fix-indentation", "python", FIXED.replace("knock", "KNOCK")),
    ("fix-indentation", "python", FIXED + "# *knock*\n"),  # the code was changed
    ("is-prime", "python", "def is_prime(n):\n    return 1\n"),
    ("is-prime", "python", "raise ValueError('not today')\n"),  # friendly explains, on stderr
    ("is-prime", "python", "def is_prime(n):\n    return math.sqrt(n) > 1\n"),
    ("is-prime", "python", "def prime(n):\n    return True\n"),
    ("c-hello-world-c", "c", HELLO_C.replace("\\n", "")),
    ("c-hello-world-c", "c", HELLO_C.replace(";", "")),  # does not compile
]


@pytest.mark.parametrize(("slug", "language", "submission"), EXPLAINED)
def test_verdict_and_message_as_on_hackinscience(
    imported: Path, box: Sandbox, cache: CompileCache, slug: str, language: str, submission: str
) -> None:
    result = judged(box, cache, imported / slug, language, submission)
    assert_same(result, run_bare(source_of(imported, slug), submission))


# Passing checks whose message is chosen at random (correction_helper's congrats())
@pytest.mark.parametrize(
    ("slug", "language", "submission"),
    [("fix-indentation", "python", FIXED), ("c-hello-world-c", "c", HELLO_C)],
)
def test_random_congratulations_pass_as_on_hackinscience(
    imported: Path, box: Sandbox, cache: CompileCache, slug: str, language: str, submission: str
) -> None:
    result = judged(box, cache, imported / slug, language, submission)
    bare = run_bare(source_of(imported, slug), submission)
    assert bare.passed and result.verdict is Verdict.AC
    assert result.tests[0].message and bare.message


def test_a_syntax_error_is_explained_not_ce(
    imported: Path, box: Sandbox, cache: CompileCache
) -> None:
    unfixed = (imported / "fix-indentation" / "initial_solution.py").read_text()
    result = judged(box, cache, imported / "fix-indentation", "python", unfixed)
    assert result.verdict is Verdict.WA and "IndentationError" in (result.compile_output or "")
    assert "IndentationError" in result.tests[0].message
    assert_same(result, run_bare(source_of(imported, "fix-indentation"), unfixed))


def test_the_readers_language_reaches_the_check(
    imported: Path, box: Sandbox, cache: CompileCache
) -> None:
    """correction_helper explains in French when LANGUAGE is fr, here as on HackInScience."""
    result = judged(box, cache, imported / "print-42", "python", "print(42\n", reader="fr")
    bare = run_bare(source_of(imported, "print-42"), "print(42\n", language="fr")
    assert_same(result, bare)
    english = judged(box, cache, imported / "print-42", "python", "print(42\n")
    assert result.tests[0].message != english.tests[0].message


RENAME = 'from pathlib import Path\n\nPath("solution").rename("solution.py")\n'


def hkis_exercise(tmp_path: Path, name: str, check: str, pre_check: str = RENAME) -> Path:
    """A HackInScience exercise folder of our own, imported: the imported folder."""
    folder = tmp_path / "exercises" / name
    folder.mkdir(parents=True)
    (folder / "check.py").write_text(check)
    (folder / "wording_en.md").write_text(f"# {name}\n")
    (folder / "pre_check.py").write_text(pre_check)
    (item,) = import_hkis(folder, tmp_path / "out")
    return item.path


@pytest.mark.parametrize(
    ("check", "error"),
    [
        ("import no_such_package_for_checks\n", "No module named 'no_such_package_for_checks'"),
        ("LIMIT = 10 // 0\nfrom solution import f\n", "ZeroDivisionError"),
        ("def check(:\n    pass\n", "SyntaxError"),
        ("def main():\n    raise RuntimeError('bug')\n\nmain()\nopen('solution')\n", "bug"),
    ],
)
def test_a_check_crashing_on_its_own_is_the_judges_failure(
    tmp_path: Path, box: Sandbox, cache: CompileCache, check: str, error: str
) -> None:
    folder = hkis_exercise(tmp_path, "broken", check)
    result = judged(box, cache, folder, "python", "print(42)\n")
    assert result.verdict is Verdict.IE  # logged and judged again, never the student's fault
    assert result.failure is not None
    assert "crashed before touching the submission" in result.failure
    assert error in result.failure
    # HackInScience showed the student the traceback instead
    assert not run_bare(tmp_path / "exercises" / "broken", "print(42)\n").passed


@pytest.mark.parametrize(
    "check",
    [
        "import ast\n\nast.parse(open('solution.py').read())\n",  # the submission's syntax error
        "import subprocess\n\nsubprocess.run(['python3', 'solution.py'], check=True)\n",
    ],
)
def test_a_check_crashing_once_it_touched_the_submission_fails_the_student(
    tmp_path: Path, box: Sandbox, cache: CompileCache, check: str
) -> None:
    folder = hkis_exercise(tmp_path, "touches", check)
    result = judged(box, cache, folder, "python", "print(42\n")
    assert result.verdict is Verdict.WA and "Error" in result.tests[0].message
    assert_same(result, run_bare(tmp_path / "exercises" / "touches", "print(42\n"))


def test_a_check_crashing_on_the_students_value_fails_the_student(
    tmp_path: Path, box: Sandbox, cache: CompileCache
) -> None:
    check = "from solution import value\n\nprint(value + 1)\n"
    folder = hkis_exercise(tmp_path, "uses-value", check)
    result = judged(box, cache, folder, "python", "value = 'one'\n")
    assert result.verdict is Verdict.WA and "TypeError" in result.tests[0].message
    assert_same(result, run_bare(tmp_path / "exercises" / "uses-value", "value = 'one'\n"))


def test_a_failing_pre_check_is_logged_and_the_check_runs(
    tmp_path: Path, box: Sandbox, cache: CompileCache, caplog: pytest.LogCaptureFixture
) -> None:
    pre_check = "import sys\nprint('preparing')\nsys.exit('pre_check broke')\n"
    check = "print(open('solution').read().strip() == 'print(1)' and 'fine' or 'no')\n"
    folder = hkis_exercise(tmp_path, "pre", check, pre_check)
    with caplog.at_level(logging.WARNING, logger="runners.judging.checkers.script"):
        result = judged(box, cache, folder, "python", "print(1)\n")
    assert "pre_check.py of pre failed" in caplog.text and "pre_check broke" in caplog.text
    assert result.verdict is Verdict.AC and result.tests[0].message == "fine"
    assert_same(result, run_bare(tmp_path / "exercises" / "pre", "print(1)\n"))


def test_output_merged_in_order_and_cut_as_on_hackinscience(
    tmp_path: Path, box: Sandbox, cache: CompileCache
) -> None:
    check = (
        "import sys\n"
        "for i in range(3):\n"
        "    print(f'out {i}')\n"
        "    print(f'err {i}', file=sys.stderr)\n"
        "sys.stdout.buffer.write(b'nul \\x00 bad \\xff\\n')\n"
        "print('x' * 100_000)\n"
        "sys.exit(1)\n"
    )
    folder = hkis_exercise(tmp_path, "talkative", check)
    result = judged(box, cache, folder, "python", "pass\n")
    message = result.tests[0].message
    assert message.startswith("out 0\nerr 0\nout 1\nerr 1\nout 2\nerr 2\nnul \\x00 bad \\xff\nxxx")
    assert len(message) == 65_536
    assert_same(result, run_bare(tmp_path / "exercises" / "talkative", "pass\n"))


def test_a_silent_pass_is_congratulated(
    tmp_path: Path, box: Sandbox, cache: CompileCache
) -> None:
    folder = hkis_exercise(tmp_path, "silent", "pass\n")
    english = judged(box, cache, folder, "python", "x = 1\n")
    french = judged(box, cache, folder, "python", "x = 1\n", reader="fr-FR")
    assert english.verdict is Verdict.AC and english.tests[0].message in CONGRATULATIONS["en"]
    assert french.tests[0].message in CONGRATULATIONS["fr"]
    again = judged(box, cache, folder, "python", "x = 1\n")
    assert again.tests[0].message == english.tests[0].message  # a rejudge says the same


def test_checks_see_the_language_and_the_build(
    tmp_path: Path, box: Sandbox, cache: CompileCache
) -> None:
    check = "import os\nprint(os.environ['LANGUAGE'], os.environ['JUDGE_BUILD'])\n"
    folder = hkis_exercise(tmp_path, "env", check)
    assert judged(box, cache, folder, "python", "x = 1\n").tests[0].message == "en ok"
    broken = judged(box, cache, folder, "python", "x = (\n", reader="fr")
    assert broken.tests[0].message == "fr failed"
