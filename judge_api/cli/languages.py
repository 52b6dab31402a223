"""`judge languages`: the language plugins, their versions, and whether they work here."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from languages import Language, all_languages, self_test
from sandbox import Sandbox, SandboxError


def main(args: argparse.Namespace) -> int:
    """Exit 1 when a self-test of an available language fails."""
    if args.check:
        try:
            with Sandbox() as box:
                rows = [row(language, box) for language in all_languages().values()]
        except SandboxError as error:
            print(f"judge languages: internal error: {error}", file=sys.stderr)
            return 1
    else:
        rows = [row(language, None) for language in all_languages().values()]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for line in table(rows):
            print(line)
    failed = [r for r in rows if r["available"] and r.get("check") not in (None, "ok")]
    return 1 if failed else 0


def row(language: Language, sandbox: Sandbox | None) -> dict[str, Any]:
    """The language's info; with a sandbox, the result of its self-test too."""
    info: dict[str, Any] = dataclasses.asdict(language.info())
    if not info["available"]:
        info["reason"] = language.unavailable_reason()
    elif sandbox is not None:
        info["check"] = self_test(language, sandbox) or "ok"
    return info


def table(rows: list[dict[str, Any]]) -> list[str]:
    """One aligned line per language."""
    lines = []
    width = max((len(r["id"]) for r in rows), default=0)
    for r in rows:
        state = r["version"] if r["available"] else f"unavailable ({r['reason']})"
        line = f"{r['id']:<{width}}  {r['extension']:<4} {r['name']}: {state}"
        if "check" in r:
            line += f"  [check: {r['check']}]"
        lines.append(line)
    return lines
