"""File tasks (`[io]`) through the real pipeline and sandbox: input placed, output read.

The answer file is read from inside the sandbox, as a regular file only: a
symlink, a FIFO or a folder in its place is no answer, whatever it points at.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from exercise_support import Judge, MakeFolder, basic

from runners.judging.checkers.io_files import with_io_files
from runners.judging.exercise import ExerciseIO, load_exercise, public_view
from runners.judging.exercise.public import PublicIO
from runners.judging.failure import JudgeFailure
from sandbox import RunRequest

BOTH = '[io]\ninput = "input.txt"\noutput = "output.txt"\n'
MISSING = "Wrong answer: your program did not write output.txt (a file in its working directory)."

# An echo through the files; stdin must be empty, stdout is ignored.
ECHO_FILES = """\
import sys
assert sys.stdin.read() == "", "stdin is not empty"
with open("input.txt") as file:
    data = file.read()
print("noise on stdout: ignored")
with open("output.txt", "w") as file:
    file.write(data)
"""


def folder_with(make_folder: MakeFolder, io: str, **extra: str | bytes) -> Path:
    return make_folder(basic(f'title = "Files"\n{io}', **extra))


def test_input_and_output_files(make_folder: MakeFolder, run_judge: Judge) -> None:
    result = run_judge(folder_with(make_folder, BOTH), "python", ECHO_FILES)
    assert [t.verdict for t in result.tests] == ["AC", "AC"], result.tests


def test_input_file_alone_answers_on_stdout(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = folder_with(make_folder, '[io]\ninput = "data.in"\n')
    source = "import sys\nassert sys.stdin.read() == ''\nprint(open('data.in').read(), end='')\n"
    assert run_judge(folder, "python", source).verdict == "AC"


def test_output_file_alone_reads_stdin(make_folder: MakeFolder, run_judge: Judge) -> None:
    folder = folder_with(make_folder, '[io]\noutput = "answer.txt"\n')
    source = "import sys\nopen('answer.txt', 'w').write(sys.stdin.read())\nprint('ignored')\n"
    assert run_judge(folder, "python", source).verdict == "AC"


def test_c_program_with_files(make_folder: MakeFolder, run_judge: Judge) -> None:
    source = """\
#include <stdio.h>
int main(void) {
    FILE *in = fopen("input.txt", "r"), *out = fopen("output.txt", "w");
    int c;
    while ((c = fgetc(in)) != EOF) fputc(c, out);
    return 0;
}
"""
    assert run_judge(folder_with(make_folder, BOTH), "c", source).verdict == "AC"


def test_missing_output_file_is_wa(make_folder: MakeFolder, run_judge: Judge) -> None:
    source = "print(open('input.txt').read(), end='')\n"  # right answer, wrong place
    result = run_judge(folder_with(make_folder, BOTH), "python", source)
    assert result.verdict == "WA"
    assert [(t.verdict, t.message) for t in result.tests] == [("WA", MISSING)] * 2
    assert result.score == 0


@pytest.mark.parametrize(
    "make_it",
    [
        "os.symlink('input.txt', 'output.txt')",  # the right answer, in the sandbox
        "os.link('input.txt', 'real.txt'); os.symlink('real.txt', 'output.txt')",
        "os.mkfifo('output.txt')",
        "os.mkdir('output.txt')",
    ],
)
def test_only_a_regular_output_file_counts(
    make_folder: MakeFolder, run_judge: Judge, make_it: str
) -> None:
    result = run_judge(folder_with(make_folder, BOTH), "python", f"import os\n{make_it}\n")
    assert [(t.verdict, t.message) for t in result.tests] == [("WA", MISSING)] * 2


def test_a_link_to_a_host_file_is_never_followed(
    make_folder: MakeFolder, run_judge: Judge, tmp_path: Path
) -> None:
    """The link points at the host's own copy of the expected answer: followed, it would pass."""
    folder = folder_with(make_folder, BOTH)
    expected = folder / "tests" / "2-hidden.out"
    before = hashlib.sha256(expected.read_bytes()).hexdigest()
    source = f"import os\nos.symlink({str(expected)!r}, 'output.txt')\n"
    result = run_judge(folder, "python", source)
    assert [(t.verdict, t.message) for t in result.tests] == [("WA", MISSING)] * 2
    assert hashlib.sha256(expected.read_bytes()).hexdigest() == before  # the host is untouched
    assert not list(tmp_path.rglob("output.txt"))  # nothing was written beside it


def test_an_output_file_over_the_output_limit_is_ole(
    make_folder: MakeFolder, run_judge: Judge
) -> None:
    # The output limit of a test is max(1 MiB, twice the expected output + 4 KiB).
    source = "open('output.txt', 'w').write('1\\n' * (1 << 20))\n"  # 2 MiB
    result = run_judge(folder_with(make_folder, BOTH), "python", source)
    assert result.verdict == "OLE"
    assert result.tests[0].message == (
        "Output limit exceeded: your program wrote far more than expected to output.txt."
    )


def test_a_failed_run_keeps_its_own_verdict(make_folder: MakeFolder, run_judge: Judge) -> None:
    source = "import shutil, sys\nshutil.copy('input.txt', 'output.txt')\nsys.exit(3)\n"
    result = run_judge(folder_with(make_folder, BOTH), "python", source)
    assert [t.verdict for t in result.tests] == ["RE", "RE"]


def test_custom_checker_gets_the_output_file(make_folder: MakeFolder, run_judge: Judge) -> None:
    checker = """\
import sys
got = open(sys.argv[3]).read()
print("checker saw", repr(got))
sys.exit(0 if got == open(sys.argv[2]).read() else 1)
"""
    io = f'[checker]\nkind = "custom"\n{BOTH}'
    folder = folder_with(make_folder, io, **{"checker.py": checker})
    result = run_judge(folder, "python", ECHO_FILES)
    assert [(t.verdict, t.message) for t in result.tests] == [
        ("AC", "checker saw '1\\n'"),
        ("AC", "checker saw 'secret 42\\n'"),
    ]


def test_an_input_name_taken_by_the_program_is_a_judge_failure(tmp_path: Path) -> None:
    """Built-in languages cannot collide (the loader refuses `solution*`); plugins might."""
    test_input = tmp_path / "1.in"
    test_input.write_bytes(b"1\n")
    request = RunRequest(argv=["/box/main"], files={"main": b"\x7fELF"}, executables=["main"])
    with pytest.raises(JudgeFailure, match="'main' would replace a file of the program"):
        with_io_files(request, ExerciseIO(input="main"), test_input)
    placed = with_io_files(request, ExerciseIO("in.txt", "out.txt"), test_input)
    assert (placed.stdin, placed.files["in.txt"], placed.collect) == (b"", b"1\n", ["out.txt"])
    assert placed.limits.workspace == request.limits.workspace + 2


def test_the_public_view_says_which_files(make_folder: MakeFolder) -> None:
    """Students learn from the exercise's view where to read and write, not only its wording."""
    files = public_view(load_exercise(folder_with(make_folder, BOTH)))
    assert files.io == PublicIO("input.txt", "output.txt")
    assert public_view(load_exercise(make_folder(basic(), slug="plain"))).io == PublicIO(None, None)
