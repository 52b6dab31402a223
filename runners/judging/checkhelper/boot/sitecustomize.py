"""Started by Python before check.py (as `sitecustomize`): HackInScience's way of running a check.

The judge runs `python3 -u ./check.py` in the sandbox with this folder first on
PYTHONPATH and JUDGE_CHECK_BOOT=1, so this module runs in the check's process
before check.py, and nowhere else: it takes itself off PYTHONPATH for the
processes the check starts. It does what HackInScience's worker did around
the check, and tells the judge what the check's exit code cannot:

1. `pre_check.py`, when present, runs first, as HackInScience runs it: a
   failure is reported to the judge (which logs it) and the check runs anyway.
2. stderr joins stdout (`2>&1`), so the student reads both in the order written.
3. An uncaught exception before the check touched the submission is the
   check crashing (a package missing, a bug in check.py): reported, so the
   judge answers IE rather than blaming the student. The check touches the
   submission when it opens, imports or compiles `solution` (or
   `solution.py`), or starts any process (how checks run the student's
   program). After that an exception may come from the student's code or
   value (a syntax error met by `ast.parse`, a `None` returned), so it is the
   student's failure, as on HackInScience.

Reports go to the judge on the sandbox's stderr, which nothing else writes to
once stderr joins stdout: one JSON object per line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from types import TracebackType
from typing import Any, TextIO

# Audit events that start a process: how checks run the student's program.
PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
)
STUDENT_FILES = frozenset({"solution", "solution.py"})


class Boot:
    def __init__(self, channel: TextIO) -> None:
        self.channel = channel
        self.touched = False  # the check has touched the submission

    def report(self, **event: Any) -> None:
        self.channel.write(json.dumps(event) + "\n")
        self.channel.flush()

    def pre_check(self) -> None:
        """As HackInScience: run pre_check.py, report a failure, go on with the check anyway."""
        try:
            done = subprocess.run(
                [sys.executable, "pre_check.py"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        except OSError as error:
            self.report(pre_check={"exit_code": None, "stdout": "", "stderr": str(error)})
            return
        if done.returncode != 0 or done.stderr:  # what HackInScience logs
            out, err = (tail(data) for data in (done.stdout, done.stderr))
            self.report(pre_check={"exit_code": done.returncode, "stdout": out, "stderr": err})

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if self.touched:
            return
        if event in PROCESS_EVENTS:
            self.touched = True
        elif event == "import":
            self.touched = str(args[0]).partition(".")[0] == "solution"
        elif event in ("open", "compile"):
            path = args[0] if event == "open" else args[1]
            named = isinstance(path, str | bytes)
            self.touched = named and os.path.basename(os.fsdecode(path)) in STUDENT_FILES

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if not self.touched:
            crash = "".join(traceback.format_exception_only(kind, error)).strip()
            self.report(crashed=crash)
        sys.__excepthook__(kind, error, tb)


def tail(data: bytes) -> str:
    return data.decode(errors="replace")[-4000:]


def start() -> None:
    if os.environ.pop("JUDGE_CHECK_BOOT", None) != "1":
        return
    here = os.path.dirname(os.path.abspath(__file__))
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p and p != here)
    boot = Boot(os.fdopen(os.dup(2), "w"))  # os.dup: not inherited by the check's children
    boot.report(started=True)
    if os.path.exists("pre_check.py"):
        boot.pre_check()
    os.dup2(1, 2)
    sys.addaudithook(boot.audit)
    sys.excepthook = boot.excepthook


start()
