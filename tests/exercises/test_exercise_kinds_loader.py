"""Loading file-I/O (`[io]`) and interactive exercises: what is accepted, what is refused."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from exercise_support import MakeFolder, basic

from runners.judging.checkers import CHECKERS
from runners.judging.exercise import CheckerKind, ExerciseError, ExerciseIO, load_exercise

INTERACTOR = "import sys\nsys.exit(0)\n"


def io_toml(lines: str, kind: str = "lines") -> str:
    return f'title = "Files"\n[checker]\nkind = "{kind}"\n[io]\n{lines}\n'


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ('input = "input.txt"\noutput = "output.txt"', ExerciseIO("input.txt", "output.txt")),
        ('input = "sum.in"', ExerciseIO("sum.in", None)),
        ('output = "sum.out"', ExerciseIO(None, "sum.out")),
        ("", ExerciseIO()),
    ],
)
def test_io_keys_each_optional(make_folder: MakeFolder, lines: str, expected: ExerciseIO) -> None:
    assert load_exercise(make_folder(basic(io_toml(lines)))).io == expected


def test_no_io_table_means_the_streams(make_folder: MakeFolder) -> None:
    assert load_exercise(make_folder(basic())).io == ExerciseIO(None, None)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            'input = "/tmp/input.txt"',
            "[io] input: '/tmp/input.txt' is an absolute path; expected a plain file name"
            " in the working directory, like 'input.txt'",
        ),
        ('output = "../output.txt"', "[io] output: '../output.txt' contains '..'"),
        ('input = "a/../../b"', "[io] input: 'a/../../b' contains '..'"),
        ('input = "data/input.txt"', "[io] input: 'data/input.txt' is a path"),
        ('output = ""', "[io] output: '' is not a file name"),
        ('output = "."', "[io] output: '.' is not a file name"),
        ('input = "in\\tput"', "[io] input: 'in\\tput' is not a file name"),
        (f'input = "{"x" * 256}"', "[io] input: longer than 255 bytes"),
        ('input = "solution"', "[io] input: 'solution' is the name of the submission's own"),
        ('output = "solution.py"', "[io] output: 'solution.py' is the name of the submission"),
        ('input = "data.txt"\noutput = "data.txt"', "[io] output: the same file as input"),
        ("input = 3", "[io] input: expected a file name, got 3"),
        ('file = "input.txt"', "[io] file: unknown key (known: input, output)"),
    ],
)
def test_bad_io_is_refused(make_folder: MakeFolder, lines: str, message: str) -> None:
    folder = make_folder(basic(io_toml(lines)))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert str(error.value).startswith(f"{folder / 'exercise.toml'}: ")
    assert message in str(error.value)


def test_io_is_refused_for_a_script_check(make_folder: MakeFolder) -> None:
    toml = io_toml('input = "input.txt"', kind="script")
    folder = make_folder({"exercise.toml": toml, "wording.md": "x", "check.py": "print(1)\n"})
    with pytest.raises(ExerciseError, match=r"\[io\]: not used when \[checker\] kind is 'script'"):
        load_exercise(folder)


def test_io_is_refused_for_an_interactive_exercise(make_folder: MakeFolder) -> None:
    folder = make_folder(
        basic(io_toml('output = "out.txt"', kind="interactive"), **{"interactor.py": INTERACTOR})
    )
    with pytest.raises(ExerciseError, match=r"\[io\]: .*talks with the interactor on stdin"):
        load_exercise(folder)


def test_interactive_needs_its_interactor(make_folder: MakeFolder) -> None:
    folder = make_folder(basic('title = "Guess"\n[checker]\nkind = "interactive"\n'))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert str(error.value) == (
        f"{folder / 'interactor.py'}: missing ([checker] kind is 'interactive')"
    )


@pytest.mark.parametrize("kind", ["lines", "custom"])
def test_an_interactor_is_refused_for_other_kinds(make_folder: MakeFolder, kind: str) -> None:
    toml = f'title = "Guess"\n[checker]\nkind = "{kind}"\n'
    extra = {"interactor.py": INTERACTOR}
    if kind == "custom":
        extra["checker.py"] = "import sys\nsys.exit(0)\n"
    folder = make_folder(basic(toml, **extra))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert str(error.value) == (
        f"{folder / 'interactor.py'}: only used when [checker] kind is 'interactive', not {kind!r}"
    )


def test_the_interactor_has_at_least_the_programs_time(make_folder: MakeFolder) -> None:
    toml = 'title = "Guess"\n[limits]\ntime = 2\n[checker]\nkind = "interactive"\ntime = 1\n'
    folder = make_folder(basic(toml, **{"interactor.py": INTERACTOR}))
    with pytest.raises(ExerciseError) as error:
        load_exercise(folder)
    assert str(error.value) == (
        f"{folder / 'exercise.toml'}: [checker] time: the interactor's CPU time (1 s) must be"
        " at least the program's ([limits] time = 2 s)"
    )


def test_every_kind_is_judged() -> None:
    """The loader takes every kind the format names: each has its checker."""
    assert set(CHECKERS) == set(CheckerKind)


def test_an_interactive_exercise_loads(make_folder: MakeFolder) -> None:
    toml = 'title = "Guess"\n[limits]\ntime = 0.5\n[checker]\nkind = "interactive"\ntime = 2\n'
    exercise = load_exercise(make_folder(basic(toml, **{"interactor.py": INTERACTOR})))
    assert exercise.checker.kind is CheckerKind.INTERACTIVE
    assert (exercise.checker.time, exercise.limits.time) == (2, 0.5)
    assert exercise.interactor_path.read_text() == INTERACTOR
    assert exercise.test_names == ("1-sample", "2-hidden")


def test_cli_explains_a_bad_io_name(
    make_folder: MakeFolder, cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    folder = make_folder(basic(io_toml('input = "../../etc/passwd"')))
    (folder / "solutions").mkdir()
    (folder / "solutions" / "ac.py").write_text("print(input())\n")
    done = cli("exercises", "verify", folder)
    assert done.returncode == 1
    assert "[io] input: '../../etc/passwd' contains '..'" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    source = folder / "solutions" / "ac.py"
    done = cli("submit", source, "--exercise", folder)
    assert done.returncode == 2
    assert "[io] input: '../../etc/passwd' contains '..'" in done.stderr
    assert "Traceback" not in done.stderr
