"""Reading `[io]`: the files that stand for stdin and stdout in olympiad-style tasks.

A name is a plain file name in the program's working directory: never
absolute, never a path, never `..`, and never one of the submission's own
files (`solution`, `solution.<ext>`), which it would overwrite.
"""

from __future__ import annotations

from runners.judging.exercise.model import CheckerKind, ExerciseError, ExerciseIO
from runners.judging.exercise.table import Table

EXAMPLE = "a plain file name in the working directory, like 'input.txt'"
MAX_NAME = 255  # bytes: the longest file name Linux takes
# Kinds with no [io]: a script runs the program itself; an interactive
# program talks with the interactor on stdin and stdout.
NO_IO = {
    CheckerKind.SCRIPT: "a script check runs the program itself",
    CheckerKind.INTERACTIVE: "the program talks with the interactor on stdin and stdout",
}


def name_problem(name: str) -> str | None:
    """What is wrong with `name` as an `[io]` file name, or None."""
    if name.startswith("/"):
        return f"{name!r} is an absolute path; expected {EXAMPLE}"
    if ".." in name:
        return f"{name!r} contains '..'; expected {EXAMPLE}"
    if "/" in name:
        return f"{name!r} is a path; expected {EXAMPLE}"
    if name in ("", ".") or not name.isprintable():
        return f"{name!r} is not a file name; expected {EXAMPLE}"
    if len(name.encode()) > MAX_NAME:
        return f"longer than {MAX_NAME} bytes; expected {EXAMPLE}"
    if name == "solution" or name.startswith("solution."):
        return f"{name!r} is the name of the submission's own file; choose another"
    return None


def _name(table: Table, key: str) -> str | None:
    name: str | None = table.get(key, lambda v: isinstance(v, str), "a file name", None)
    problem = None if name is None else name_problem(name)
    if problem:
        raise table.error(key, problem)
    return name


def read_io(root: Table, kind: CheckerKind) -> ExerciseIO:
    """`[io] input` and `[io] output`, each optional."""
    table = root.table("io")
    io = ExerciseIO(_name(table, "input"), _name(table, "output"))
    table.finish()
    if io.input is not None and io.input == io.output:
        raise table.error("output", f"the same file as input ({io.input!r}); name another")
    if io != ExerciseIO() and kind in NO_IO:
        raise ExerciseError(
            f"{root.file}: [io]: not used when [checker] kind is {kind.value!r}: {NO_IO[kind]}"
        )
    return io
