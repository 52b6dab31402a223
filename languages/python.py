"""Python 3 (CPython), byte-compiled first so a syntax error is CE."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from languages.base import COMPILE_LIMITS, Language, merge_binds
from sandbox import Bind, Limits

DEFAULT_PYTHON = "/usr/bin/python3"  # JUDGE_PYTHON: the judge's Python, also running checks
DEFAULT_PACKAGES = Path("/opt/judge-checks/site-packages")  # for check scripts: see .ci/install
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
    # One CPython per submission, forking each test (and the syntax check):
    # the compile step runs in the tests' sandbox, whose shape it shares.
    fork_server = ("{toolchain}", "-B", WARM_TARGET, "--fork-server")
    compile_warm = True
    compile_limits = replace(COMPILE_LIMITS, workspace=Limits().workspace)
    toolchain_at_run = True
    self_test = """\
import sys

sys.stdout.buffer.write(sys.stdin.buffer.read())
"""

    def configured_toolchain(self) -> str:
        return self.setting("TOOLCHAIN") or os.environ.get("JUDGE_PYTHON") or DEFAULT_PYTHON

    def package_paths(self) -> list[Path]:
        """`JUDGE_PYTHON_PATH`: read-only folders of extra packages, separated by `:`.

        Unset: the packages `.ci/install` puts in /opt/judge-checks, when they are there.
        """
        configured = self.setting("PATH")
        if configured is None:
            return [DEFAULT_PACKAGES] if DEFAULT_PACKAGES.is_dir() else []
        return [Path(path) for path in configured.split(":") if path]

    def toolchain_binds(self) -> list[Bind]:
        """The interpreter, plus the read-only environment of extra packages."""
        extra = [Bind(path) for path in self.package_paths() if path.exists()]
        return [*super().toolchain_binds(), *extra]

    def run_binds(self) -> tuple[Bind, ...]:
        return merge_binds([*super().run_binds(), Bind(WARM_SCRIPT, WARM_TARGET)])

    def compile_binds(self) -> tuple[Bind, ...]:
        return self.run_binds()

    def compile_env(self) -> dict[str, str]:
        return self.run_env()

    def run_env(self) -> dict[str, str]:
        env = super().run_env()
        if paths := self.package_paths():
            env["PYTHONPATH"] = ":".join(map(str, paths))
        return env
