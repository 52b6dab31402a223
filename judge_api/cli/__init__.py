"""`judge`: the one command line entry point.

`commands.py` describes the command line; each subcommand's module is
imported only when it runs (`judge run` loads the sandbox and the languages,
never the web stack nor the database).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

from judge_api.cli.commands import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    module, _, function = args.handler.partition(":")
    run: Callable[..., int] = getattr(importlib.import_module(module), function)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
