"""Language plugins: the interface and the built-in Python, C, C++ and Rust.

Plugins are classes registered in the `judge.languages` entry-point group:

    languages = all_languages()                  # {"c": <language c>, ...}
    language = language_for_path(Path("a.c"))    # or get_language("c")
    built = build(language, source, sandbox)     # compiled once, cached on disk
    if built.program:
        result = built.program.run(sandbox, stdin, limits)
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from languages.base import Language, LanguageInfo, UnknownLanguage
from languages.builds import Build, BuildStatus, Program, Runner, build
from languages.compile_cache import CompileCache
from languages.runs import SourceRun, run_limits, run_source
from languages.selftest import self_test

__all__ = [
    "Build",
    "BuildStatus",
    "CompileCache",
    "Language",
    "LanguageInfo",
    "Program",
    "Runner",
    "SourceRun",
    "UnknownLanguage",
    "all_languages",
    "build",
    "get_language",
    "language_for_path",
    "run_limits",
    "run_source",
    "self_test",
]

GROUP = "judge.languages"
log = logging.getLogger(__name__)


@cache
def all_languages() -> dict[str, Language]:
    """Every installed plugin by id, available here or not, sorted by id.

    A plugin that cannot be loaded is logged and left out.
    """
    found: dict[str, Language] = {}
    for entry_point in entry_points(group=GROUP):
        try:
            plugin = entry_point.load()
            language = plugin()
        except Exception as error:  # a broken plugin must not take the others down
            log.error("language plugin %s cannot be loaded: %r", entry_point.value, error)
            continue
        if not isinstance(language, Language):
            log.error("language plugin %s is not a Language", entry_point.value)
            continue
        found.setdefault(language.id, language)
    return dict(sorted(found.items()))


def get_language(language_id: str) -> Language:
    try:
        return all_languages()[language_id]
    except KeyError:
        raise UnknownLanguage(
            f"unknown language {language_id!r} (known: {', '.join(all_languages())})"
        ) from None


def language_for_path(path: Path) -> Language:
    """The language of a source file, by its extension."""
    for language in all_languages().values():
        if path.suffix in language.extensions:
            return language
    known = ", ".join(e for language in all_languages().values() for e in language.extensions)
    raise UnknownLanguage(
        f"cannot tell the language of {path.name} from its extension (known: {known});"
        " name the language"
    )
