"""`judge exercises ACTION`: verify, import and sync exercise folders."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from typing import TextIO

from judge_api import catalog
from judge_api.cli.database import open_database
from runners.judging.hkis import HkisError, Imported, Outcome, import_hkis
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
    lines = Lines(sys.stderr if args.json else sys.stdout)  # --json: stdout is the JSON
    with SandboxPool(args.workers) as pool:
        rows = verify(
            paths,
            pool,
            args.workers,
            lambda row: lines.write(progress(row)),
            config.compile_cache(),
            strict=args.strict,
        )
    bad = sum(not row.ok for row in rows)
    if args.json:
        report = {"ok": len(rows) - bad, "mismatches": bad, "results": [asdict(r) for r in rows]}
        print(json.dumps(report, indent=2))
    else:
        print()
        table(rows)
        print(f"\n{len(rows) - bad} OK, {bad} MISMATCH")
    return 1 if bad else 0


class Lines:
    """Whole lines to one stream from several threads: one write each, never interleaved."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lock = threading.Lock()

    def write(self, line: str) -> None:
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


def progress(row: Row) -> str:
    mark = "ok" if row.ok else "MISMATCH"
    note = f" ({row.note})" if row.note else ""
    return f"[{mark}] {row.exercise}/{row.solution}: expected {row.expected}, got {row.got}{note}"


def table(rows: Sequence[Row]) -> None:
    lines = [
        (r.exercise, r.solution, r.expected, r.got, "OK" if r.ok else "MISMATCH") for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(HEADERS, *lines, strict=False)]
    for line in (HEADERS, *lines):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))


def import_hkis_command(args: argparse.Namespace) -> int:
    """Import HackInScience exercises, one line per exercise as it goes, a summary at the end."""
    try:
        imported = import_hkis(args.source, args.dest, report_import)
    except HkisError as error:
        print(f"judge exercises import-hkis: {error}", file=sys.stderr)
        return 2
    counts = Counter(item.outcome for item in imported)
    summary = ", ".join(f"{counts[outcome]} {outcome.value}" for outcome in Outcome)
    print(f"\n{len(imported)} HackInScience exercises into {args.dest}: {summary}.")
    needed = set().union(*(item.packages for item in imported))
    if needed:
        print(f"Their checks import: {' '.join(sorted(needed))}.")
        print(
            "`bash .ci/install` provides the usual ones in /opt/judge-checks;"
            " see exercises/README.md for others."
        )
    return 1 if counts[Outcome.FAILED] else 0


def report_import(item: Imported) -> None:
    if item.outcome is Outcome.FAILED:
        print(f"{item.slug}: FAILED, from {item.source}: {item.error}", flush=True)
        return
    detail = f" ({', '.join(item.changed)})" if item.outcome is Outcome.UPDATED else ""
    print(f"{item.slug}: {item.outcome.value}{detail}, from {item.source}", flush=True)
    for warning in item.warnings:
        print(f"  warning: {warning}", flush=True)


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
