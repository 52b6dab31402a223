"""Checkers: decide whether a submission answers a test, one strategy per `[checker] kind`.

`exact`, `lines`, `tokens` and `float` compare outputs in the judge's process;
`custom` runs the exercise's checker.py in the sandbox; `script` runs check.py
in the sandbox as the submission's single test; `interactive` runs the
program and interactor.py together, connected by pipes.
"""

from __future__ import annotations

from collections.abc import Mapping

from runners.judging.checkers import exact, floats, lines, tokens
from runners.judging.checkers.base import Checker, Context
from runners.judging.checkers.custom import Custom
from runners.judging.checkers.interactive import Interactive
from runners.judging.checkers.judgement import Judgement
from runners.judging.checkers.output import Comparison
from runners.judging.checkers.script import Script
from runners.judging.exercise import CheckerKind

CHECKERS: Mapping[CheckerKind, Checker] = {
    CheckerKind.EXACT: Comparison(exact.compare),
    CheckerKind.LINES: Comparison(lines.compare),
    CheckerKind.TOKENS: Comparison(tokens.compare),
    CheckerKind.FLOAT: Comparison(floats.compare),
    CheckerKind.CUSTOM: Custom(),
    CheckerKind.SCRIPT: Script(),
    CheckerKind.INTERACTIVE: Interactive(),
}

__all__ = ["CHECKERS", "Checker", "Context", "Judgement"]
