"""`judge exercises ACTION`: verify, import and sync exercise folders."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from judge_api import catalog
from judge_api.cli.database import open_database
from runners.judging.hkis import HkisError, import_hkis
from runners.judging.verify import Row, verify
from runners.settings import settings
from sandbox import SandboxPool

HEADERS = ("exercise", "solution", "expected", "got", "result")


def verify_command(args: argparse.Namespace) -> int:
    config = settings()
    paths = args.paths or [config.exercises_dir]
    missing = [p for p in paths if not p.is_dir()]
    if missing:
        print(f"judge exercises verify: {missing[0]}: not a folder", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("judge exercises verify: --workers must be at least 1", file=sys.stderr)
        return 2
    with SandboxPool(args.workers) as pool:
        rows = verify(paths, pool, args.workers, progress, config.compile_cache())
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


def import_hkis_command(args: argparse.Namespace) -> int:
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


def sync_command(_args: argparse.Namespace) -> int:
    """Make the database's exercises match the exercises folder."""
    config = settings()
    db = open_database(config)
    if db is None:
        return 1
    report = catalog.sync(db, config.exercises_dir)
    print(f"{len(report.synced)} exercises synced from {config.exercises_dir}")
    for slug in report.removed:
        print(f"removed {slug}: its folder is gone")
    for problem in report.errors:
        print(f"not synced: {problem}", file=sys.stderr)
    return 1 if report.errors else 0
