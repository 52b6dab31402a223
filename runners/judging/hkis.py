"""Importing HackInScience exercises as exercise folders with a script check.

A HackInScience exercise folder holds `check.py`, `pre_check.py`,
`wording_en.md` and `wording_fr.md`, a `meta` JSON file (title, slug,
points), `initial_solution.py` and sometimes `testenv/`. Its repository,
hackinscience/hkis-exercises, keeps one folder per page of the site:
`exercises/` and others beside it (`nsi/`, `C/`), whose slugs may repeat
those of `exercises/` for different exercises.

The import writes the files it owns (`OWNED`) and leaves any other file of
the destination folder alone (the `solutions/` an author adds), so running it
again updates what changed upstream. The copied `meta` (written when the
source has none) marks a folder as imported: a folder without it, or whose
`meta` names another exercise, is never touched.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from runners.judging.checkers.sandboxed import EXTRA_MEMORY
from runners.judging.exercise import ExerciseError, load_exercise

# Python module name -> the package providing it, for the ones that differ
PACKAGES = {
    "correction_helper": "correction-helper",
    "friendly_traceback": "friendly-traceback",
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "bs4": "beautifulsoup4",
    "sklearn": "scikit-learn",
}
LANGUAGES = {".c": "c", ".rs": "rust", ".py": "python"}
LOCAL = {"solution", "judge_check", "check", "pre_check"}
COPIED = ("check.py", "pre_check.py", "initial_solution.py", "meta")
OWNED = re.compile(
    r"exercise\.toml|wording(\.[^/]+)?\.md|check\.py|pre_check\.py"
    r"|initial_solution\.py|meta|testenv/.*"
)
MAIN_PAGE = "exercises"  # the repository's folder of the site's main page
WORDING = re.compile(r"wording_([a-z]{2,3})\.md")
DEFAULT_WORDING = "en"
# HackInScience's limits for a check (firejail --rlimit-cpu=20, --rlimit-as=1.5 GB)
CHECK_TIME = 20  # CPU seconds
CHECK_MEMORY = 1536  # MiB in all: [limits] memory plus EXTRA_MEMORY, which a check gets on top


class HkisError(ValueError):
    """A source that holds no HackInScience exercise, or a destination that is not a folder."""


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"  # not imported: `error` says why


@dataclass
class Imported:
    """What became of one HackInScience exercise folder."""

    source: Path
    slug: str
    path: Path
    outcome: Outcome = Outcome.FAILED
    changed: list[str] = field(default_factory=list)  # files written or removed
    packages: set[str] = field(default_factory=set)  # what check.py and pre_check.py import
    warnings: list[str] = field(default_factory=list)
    error: str = ""


def import_hkis(
    source: Path, dest: Path, on_item: Callable[[Imported], None] | None = None
) -> list[Imported]:
    """Import the exercise in `source`, or every one below it, into `dest/<slug>/`.

    `on_item` sees each exercise as it is done. Raises HkisError when there is
    nothing to import or `dest` cannot be a folder; a problem with one exercise
    is that exercise's `error`, and the others are imported.
    """
    inside = dest.resolve()
    found = [f for f in exercise_folders(source) if not f.resolve().is_relative_to(inside)]
    if not found:
        raise HkisError(f"{source}: no HackInScience exercise (no check.py) here or below")
    if dest.exists() and not dest.is_dir():
        raise HkisError(f"{dest}: not a folder")
    dest.mkdir(parents=True, exist_ok=True)
    results = []
    for item in plan(found, dest):
        if not item.error:
            convert(item)
        if on_item:
            on_item(item)
        results.append(item)
    return results


def exercise_folders(source: Path) -> list[Path]:
    if (source / "check.py").is_file():
        return [source]
    return sorted(p.parent for p in source.rglob("check.py") if p.parent != source)


def plan(found: list[Path], dest: Path) -> Iterator[Imported]:
    """Each folder with its slug; a slug already given to another folder is an error."""
    taken: dict[str, Path] = {}
    for folder in found:
        try:
            meta = read_meta(folder)
        except HkisError as error:
            yield Imported(folder, folder.name, dest / folder.name, error=str(error))
            continue
        slug = slug_of(folder, meta)
        item = Imported(folder, slug, dest / slug)
        if slug in taken:
            item.error = f"slug {slug!r} is already given to {taken[slug]}"
        taken.setdefault(slug, folder)
        yield item


def read_meta(folder: Path) -> dict[str, Any]:
    try:
        meta = json.loads((folder / "meta").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as error:
        raise HkisError(f"{folder / 'meta'}: not JSON ({error})") from None
    if not isinstance(meta, dict):
        raise HkisError(f"{folder / 'meta'}: expected a JSON object")
    return meta


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")


def slug_of(folder: Path, meta: dict[str, Any]) -> str:
    """meta's slug (else the folder's name), prefixed by the page for pages other than the main.

    The repository's pages are the folders beside `exercises/`: `nsi/distance`
    becomes `nsi-distance`, while `exercises/distance` stays `distance`.
    """
    slug = slugify(str(meta.get("slug") or folder.name)) or "exercise"
    page = folder.parent
    if page.name != MAIN_PAGE and (page.parent / MAIN_PAGE).is_dir():
        return f"{slugify(page.name)}-{slug}"
    return slug


def language_of(folder: Path) -> str:
    """The student's language: what pre_check renames `solution` to (Python by default)."""
    pre_check = folder / "pre_check.py"
    text = pre_check.read_text(encoding="utf-8", errors="replace") if pre_check.is_file() else ""
    for extension, language in LANGUAGES.items():
        if f"solution{extension}" in text:
            return language
    return "python"


def imports(path: Path) -> set[str]:
    """Top-level modules a Python file imports (missing or unparsable files give none)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def packages(folder: Path) -> set[str]:
    """Packages outside the standard library the check scripts import."""
    local = LOCAL | {p.stem for p in folder.rglob("*.py")}
    modules = set().union(*(imports(folder / n) for n in ("check.py", "pre_check.py")))
    return {PACKAGES.get(m, m) for m in modules - local - set(sys.stdlib_module_names)}


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def exercise_toml(folder: Path, meta: dict[str, Any], title: str) -> str:
    lines = [
        f"# Imported from HackInScience ({folder.parent.name}/{folder.name}).",
        f"title = {toml_string(title)}",
        f'languages = ["{language_of(folder)}"]',
        "",
        "[limits]",
        f"memory = {CHECK_MEMORY - EXTRA_MEMORY}  # MiB; with what a check gets on top: 1.5 GB",
        "",
        "[checker]",
        'kind = "script"',
        f"time = {CHECK_TIME}  # CPU seconds for check.py, as on HackInScience",
    ]
    points = meta.get("points")
    if isinstance(points, int | float) and not isinstance(points, bool) and points > 0:
        lines += ["", "[scoring]", f"points = {points}"]
    return "\n".join(lines) + "\n"


def wordings(folder: Path, item: Imported, title: str) -> dict[str, bytes]:
    """wording_en.md as wording.md, each other wording_<lang>.md as wording.<lang>.md."""
    found = {m.group(1): p for p in folder.iterdir() if (m := WORDING.fullmatch(p.name))}
    default = found.get(DEFAULT_WORDING) or next(iter(sorted(found.items())), (None, None))[1]
    if default is None:
        item.warnings.append("no wording_en.md nor any wording_<lang>.md: wrote a placeholder")
    elif DEFAULT_WORDING not in found:
        item.warnings.append(f"no wording_en.md: wording.md is {default.name}")
    files = {"wording.md": default.read_bytes() if default else f"# {title}\n".encode()}
    for language, path in found.items():
        if language != DEFAULT_WORDING:
            files[f"wording.{language}.md"] = path.read_bytes()
    return files


def converted(item: Imported) -> dict[str, bytes]:
    """The files the import writes for one exercise, by path in its folder."""
    folder = item.source
    meta = read_meta(folder)
    title = str(
        meta.get("title_en") or meta.get("title") or item.slug.replace("-", " ").capitalize()
    )
    files = wordings(folder, item, title)
    files["exercise.toml"] = exercise_toml(folder, meta, title).encode()
    for name in COPIED:
        if (folder / name).is_file():
            files[name] = (folder / name).read_bytes()
    files.setdefault("meta", json.dumps({"slug": item.slug}).encode())  # marks the import
    testenv = folder / "testenv"
    for path in sorted(testenv.rglob("*")) if testenv.is_dir() else ():
        if path.is_file():
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def owner_conflict(target: Path, source: Path) -> str:
    """Why `target` must be left alone, or "" when it is this exercise's earlier import."""
    if not target.exists():
        return ""
    if not target.is_dir() or not (target / "meta").is_file():
        return f"{target} exists and was not imported from HackInScience (no meta): left alone"
    try:
        theirs, ours = read_meta(target).get("url"), read_meta(source).get("url")
    except HkisError as error:
        return str(error)
    if theirs and ours and theirs != ours:
        return f"{target} holds another HackInScience exercise ({theirs}): left alone"
    return ""


def convert(item: Imported) -> None:
    """Write the exercise's files into its folder, or only the ones that changed."""
    item.error = owner_conflict(item.path, item.source)
    if item.error:
        return
    item.packages = packages(item.source)
    fresh = not item.path.exists()
    try:
        item.changed = synchronize(item.path, converted(item))
    except (OSError, HkisError) as error:
        item.error = str(error)
        return
    item.outcome = (
        Outcome.CREATED if fresh else Outcome.UPDATED if item.changed else Outcome.UNCHANGED
    )
    try:
        load_exercise(item.path)
    except ExerciseError as error:
        item.warnings.append(f"the imported folder does not load: {error}")


def synchronize(target: Path, files: dict[str, bytes]) -> list[str]:
    """Make the owned files of `target` be `files`; the paths written or removed."""
    changed = []
    for name, data in sorted(files.items()):
        path = target / name
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.importing")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # a reader sees the old file or the new one
        changed.append(name)
    for path in sorted(target.rglob("*"), reverse=True):
        name = path.relative_to(target).as_posix()
        if OWNED.fullmatch(name) and name not in files and not path.is_dir():
            path.unlink()
            changed.append(f"{name} (removed)")
    testenv = target / "testenv"
    for path in [*sorted(testenv.rglob("*"), reverse=True), testenv]:
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()  # emptied by the removals above
    return changed
