"""Python 3 (CPython), byte-compiled first so a syntax error is CE."""

from __future__ import annotations

from pathlib import Path

from languages.base import Language, merge_binds
from runners.settings import settings
from sandbox import Bind

WARM_SCRIPT = Path(__file__).with_name("python_warm.py")
WARM_TARGET = "/opt/judge/python_warm.py"  # outside the read-only /usr

# Runs in the sandbox: compiles the source and prints a syntax error the way
# Python would, naming the file as the student named it.
CHECK_SYNTAX = """\
import sys, traceback
name = sys.argv[1]
with open(name, "rb") as file:
    source = file.read()
try:
    compile(source, name, "exec", dont_inherit=True)
except Exception as error:
    sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
    sys.exit(1)
"""


class Python(Language):
    id = "python"
    name = "Python 3"
    extension = ".py"
    toolchain = "python3"
    compile = ("{toolchain}", "-I", "-S", "-B", "-c", CHECK_SYNTAX, "{source}")
    run = ("{toolchain}", "-B", "{source}")  # -B: no __pycache__ in /box
    warm = ("{toolchain}", "-B", WARM_TARGET)  # a CPython started ahead, see python_warm.py
    toolchain_at_run = True
    self_test = """\
import sys

sys.stdout.buffer.write(sys.stdin.buffer.read())
"""

    def configured_toolchain(self) -> str:
        return self.setting("TOOLCHAIN") or settings().python

    def toolchain_binds(self) -> list[Bind]:
        """The interpreter, plus the read-only environment of extra packages."""
        extra = [Bind(path) for path in settings().python_path if path.exists()]
        return [*super().toolchain_binds(), *extra]

    def run_binds(self) -> tuple[Bind, ...]:
        return merge_binds([*super().run_binds(), Bind(WARM_SCRIPT, WARM_TARGET)])

    def run_env(self) -> dict[str, str]:
        env = super().run_env()
        if settings().python_path:
            env["PYTHONPATH"] = ":".join(str(p) for p in settings().python_path)
        return env
