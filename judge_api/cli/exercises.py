"""`judge exercises ACTION`: tools for exercise authors and operators.

Each action is an `add_<action>(actions)` function below, listed in ACTIONS.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judge_api.cli.sync import add_sync_parser
from runners.judging.hkis import HkisError, import_hkis
from runners.judging.verify import Row, verify
from runners.settings import settings
from sandbox import SandboxPool

HEADERS = ("exercise", "solution", "expected", "got", "result")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "exercises", help="verify and import exercise folders", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for add in ACTIONS:
        add(actions)


def add_verify(actions: Any) -> None:
    parser = actions.add_parser(
        "verify",
        help="validate exercise folders and judge their reference solutions",
        description="Validate exercise folders, judge every solution in their solutions/ and"
        " compare with the verdict its name announces. Exit 1 on any mismatch.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="exercise folders, or folders of them (default: the exercises folder)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="solutions judged at once (default: one per CPU)",
    )
    parser.set_defaults(handler=run_verify)


def add_import_hkis(actions: Any) -> None:
    parser = actions.add_parser(
        "import-hkis",
        help="convert HackInScience exercise folders",
        description="Convert HackInScience exercise folders (one, or a folder of them) into"
        " exercise folders under DEST, with a script checker.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument("dest", type=Path, metavar="DEST")
    parser.set_defaults(handler=run_import_hkis)


ACTIONS: Sequence[Callable[[Any], None]] = (add_verify, add_import_hkis, add_sync_parser)


def run_verify(args: argparse.Namespace) -> int:
    paths = args.paths or [settings().exercises_dir]
    missing = [p for p in paths if not p.is_dir()]
    if missing:
        print(f"judge exercises verify: {missing[0]}: not a folder", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("judge exercises verify: --workers must be at least 1", file=sys.stderr)
        return 2
    with SandboxPool(args.workers) as pool:
        rows = verify(paths, pool, args.workers, progress)
    print()
    table(rows)
    bad = sum(not row.ok for row in rows)
    print(f"\n{len(rows) - bad} OK, {bad} MISMATCH")
    return 1 if bad else 0


def progress(row: Row) -> None:
    mark = "ok" if row.ok else "MISMATCH"
    print(
        f"[{mark}] {row.exercise}/{row.solution}: expected {row.expected}, got {row.got}"
        + (f" ({row.note})" if row.note else ""),
        flush=True,
    )


def table(rows: Sequence[Row]) -> None:
    lines = [
        (r.exercise, r.solution, r.expected, r.got, "OK" if r.ok else "MISMATCH") for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(HEADERS, *lines, strict=False)]
    for line in (HEADERS, *lines):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))


def run_import_hkis(args: argparse.Namespace) -> int:
    try:
        imported = import_hkis(args.source, args.dest)
    except HkisError as error:
        print(f"judge exercises import-hkis: {error}", file=sys.stderr)
        return 2
    needed: set[str] = set()
    for item in imported:
        packages = ", ".join(sorted(item.packages)) or "none"
        print(f"{item.slug}: imported into {item.path} (packages its check needs: {packages})")
        for warning in item.warnings:
            print(f"  warning: {warning}")
        needed |= item.packages
    if needed:
        print(f"\nCheck scripts need these packages: {' '.join(sorted(needed))}.")
        print(
            "Install them in a read-only environment named by JUDGE_PYTHON_PATH"
            " (see exercises/README.md)."
        )
    return 0
