"""The command line of `judge`: every subcommand and its arguments, and nothing else.

This module imports only argparse: `judge --help` and a usage error cost no
more than that. Each subcommand names its handler as "module:function"; the
module is imported only when that subcommand runs, so `judge run` never
loads the web stack or the database.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

ROLES = ("user", "author", "admin")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="judge", description="A polyglot judge.")
    parser.add_argument("--version", action="version", version="judge 0.1.0")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (add_run, add_languages, add_submit, add_exercises, add_service, add_tokens):
        add(commands)
    return parser


def handler(parser: argparse.ArgumentParser, target: str) -> None:
    """Run `target` ("module:function" under judge_api.cli) for this subcommand."""
    parser.set_defaults(handler=f"judge_api.cli.{target}")


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600: {text!r}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 < value <= 1024 * 1024:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1048576: {text!r}")
    return value


def add_run(commands: Any) -> None:
    parser = commands.add_parser(
        "run",
        help="run one source file in the sandbox",
        description="Compile (if needed) and run one source once in the sandbox.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument("--language", help="language id (default: from the extension)")
    parser.add_argument("--stdin", type=Path, metavar="FILE", help="input file ('-': this stdin)")
    parser.add_argument("--time-limit", type=positive_float, metavar="SECONDS", help="CPU time")
    parser.add_argument("--memory-limit", type=positive_int, metavar="MIB", help="memory")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    handler(parser, "run:main")


def add_languages(commands: Any) -> None:
    parser = commands.add_parser(
        "languages",
        help="list the languages and their versions",
        description="The language plugins, their versions, and whether they work here.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--check", action="store_true", help="run each language's self-test")
    handler(parser, "languages:main")


def add_submit(commands: Any) -> None:
    parser = commands.add_parser(
        "submit",
        help="judge a source against an exercise, locally",
        description="Judge a source against one exercise locally, without a server.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument(
        "--exercise",
        required=True,
        metavar="PATH_OR_SLUG",
        help="an exercise folder, or a slug in the exercises folder",
    )
    parser.add_argument("--language", help="language id (default: from the extension)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    handler(parser, "submit:main")


def add_exercises(commands: Any) -> None:
    parser = commands.add_parser(
        "exercises",
        help="verify, import and sync exercise folders",
        description="Tools for exercise authors and operators.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="validate exercise folders and judge their reference solutions",
        description="Validate exercise folders, judge every solution in their solutions/ and"
        " compare with the verdict its name announces. Exit 1 on any mismatch.",
    )
    verify.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="exercise folders, or folders of them (default: the exercises folder)",
    )
    verify.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="solutions judged at once (default: one per CPU)",
    )
    verify.add_argument(
        "--strict", action="store_true", help="also fail an exercise with no ac* solution"
    )
    verify.add_argument(
        "--json", action="store_true", help="print one JSON object (progress goes to stderr)"
    )
    handler(verify, "exercises:verify_command")
    hkis = actions.add_parser(
        "import-hkis",
        help="import HackInScience exercises (a folder, or a whole repository)",
        description="Import HackInScience exercise folders (one, or every one below SOURCE,"
        " such as a clone of hkis-exercises) into exercise folders DEST/<slug>, with a"
        " script checker. Running it again updates what changed and keeps other files"
        " (solutions/). Exit 1 when an exercise could not be imported.",
    )
    hkis.add_argument("source", type=Path, metavar="SOURCE")
    hkis.add_argument("dest", type=Path, metavar="DEST")
    handler(hkis, "exercises:import_hkis_command")
    sync = actions.add_parser("sync", help="sync the exercises folder into the database")
    handler(sync, "exercises:sync_command")


def add_service(commands: Any) -> None:
    for name, help_ in (
        ("serve", "run the API and the judging workers in one process"),
        ("api", "run the API only (needs JUDGE_REDIS_URL and `judge worker` processes)"),
    ):
        parser = commands.add_parser(name, help=help_, description=help_)
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        handler(parser, f"service:{name}")
    parser = commands.add_parser(
        "worker", help="judge submissions from Redis (needs JUDGE_REDIS_URL)"
    )
    parser.add_argument("--threads", type=int, help="judging threads (default: JUDGE_WORKERS)")
    handler(parser, "service:worker")


def add_tokens(commands: Any) -> None:
    parser = commands.add_parser("tokens", help="manage API tokens")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create",
        help="create a token and print it on the last line",
        description="Create a token for user NAME (made if new) and print it on the last line.",
    )
    create.add_argument("name", metavar="NAME", help="the user; a second token is the same user's")
    create.add_argument(
        "--role", choices=ROLES, help="the user's role (default: user; an existing user's stands)"
    )
    handler(create, "tokens:create_command")
    listing = actions.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("name", nargs="?", metavar="NAME", help="only this user's tokens")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    handler(listing, "tokens:list_command")
    revoke = actions.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id", type=int, metavar="ID", help="the token's id (see `tokens list`)")
    handler(revoke, "tokens:revoke_command")
