"""`[io]` file tasks: the test's input given as a file, the answer taken from a file.

The classic olympiad format (`input.txt`, `output.txt`). The input file is
written into the program's working directory and stdin is empty. The output
file is collected by the sandbox from inside the run (sandbox/init.py opens
it with O_NOFOLLOW and takes regular files only), so the judge never follows
a symlink the program made: a link, a FIFO or a folder named like the output
file is no answer, as is a missing file.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from runners.judging.checkers.judgement import Judgement
from runners.judging.exercise import ExerciseIO
from runners.judging.failure import JudgeFailure
from runners.judging.verdict import Verdict
from sandbox import Limits, RunRequest, RunResult


def with_io_files(request: RunRequest, io: ExerciseIO, test_input: Path) -> RunRequest:
    """`request` (the program on `test_input`) reading and writing the `[io]` files instead."""
    if io.output is not None:
        request = replace(request, collect=[*request.collect, io.output])
    if io.input is None:
        return request
    if io.input in request.files:  # a plugin's own file name: the exercise cannot take it
        raise JudgeFailure(f"[io] input {io.input!r} would replace a file of the program")
    data = test_input.read_bytes()
    limits = replace(request.limits, workspace=request.limits.workspace + len(data))
    return replace(request, stdin=b"", files={**request.files, io.input: data}, limits=limits)


def answer(run: RunResult, io: ExerciseIO, limits: Limits) -> bytes | Judgement:
    """What the program answered: its stdout, or the `[io] output` file.

    A Judgement instead when there is nothing to check: the file is missing
    (WA) or larger than the output limit (OLE, as stdout would be).
    """
    if io.output is None:
        return run.stdout
    data = run.files.get(io.output)
    if data is None:
        return Judgement.wrong(
            f"Wrong answer: your program did not write {io.output}"
            " (a file in its working directory)."
        )
    if len(data) > limits.output:
        return Judgement(
            Verdict.OLE,
            Fraction(0),
            f"Output limit exceeded: your program wrote far more than expected to {io.output}.",
        )
    return data
