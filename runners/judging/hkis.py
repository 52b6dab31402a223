"""Importing HackInScience exercises as exercise folders with a script check.

A HackInScience exercise folder holds `check.py`, optionally `pre_check.py`,
`wording_en.md` and/or `wording_fr.md`, a `meta` JSON file (title, slug,
points), `initial_solution.py` and `testenv/`. The import keeps check.py and
pre_check.py as they are: here both run inside the sandbox (pre_check ran
outside it on HackInScience), beside the student's file written both as
`solution` and as `solution.<ext>`.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class HkisError(ValueError):
    """A source that is not a HackInScience exercise, or a destination in the way."""


@dataclass
class Imported:
    slug: str
    path: Path
    packages: set[str] = field(default_factory=set)  # what check.py and pre_check.py import
    warnings: list[str] = field(default_factory=list)


def import_hkis(source: Path, dest: Path) -> list[Imported]:
    """Convert the exercise in `source`, or every one below it, into folders under `dest`."""
    found = (
        [source]
        if (source / "check.py").is_file()
        else sorted(p.parent for p in source.rglob("check.py") if p.parent != source)
    )
    if not found:
        raise HkisError(f"{source}: no HackInScience exercise (no check.py) here or below")
    dest.mkdir(parents=True, exist_ok=True)
    return sorted((convert(folder, dest) for folder in found), key=lambda item: item.slug)


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


def slug_of(folder: Path, meta: dict[str, Any]) -> str:
    raw = str(meta.get("slug") or folder.name).lower()
    return re.sub(r"[^a-z0-9_-]+", "-", raw).strip("-_") or "exercise"


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


def convert(folder: Path, dest: Path) -> Imported:
    meta = read_meta(folder)
    slug = slug_of(folder, meta)
    target = dest / slug
    if target.exists():
        raise HkisError(f"{target}: already exists; remove it or choose another DEST")
    item = Imported(slug, target, packages(folder))
    title = str(meta.get("title_en") or meta.get("title") or slug.replace("-", " ").capitalize())
    wording = next(
        (folder / n for n in ("wording_en.md", "wording_fr.md") if (folder / n).is_file()), None
    )
    if wording is None:
        item.warnings.append("no wording_en.md nor wording_fr.md: wrote a placeholder wording.md")
    target.mkdir(parents=True)
    (target / "wording.md").write_text(
        wording.read_text(encoding="utf-8") if wording else f"# {title}\n", encoding="utf-8"
    )
    for name in ("check.py", "pre_check.py", "initial_solution.py"):
        if (folder / name).is_file():
            shutil.copyfile(folder / name, target / name)
    if (folder / "testenv").is_dir():
        shutil.copytree(folder / "testenv", target / "testenv")
    lines = [
        f"title = {toml_string(title)}",
        f'languages = ["{language_of(folder)}"]',
        "",
        "[checker]",
        'kind = "script"',
    ]
    points = meta.get("points")
    if isinstance(points, int | float) and not isinstance(points, bool) and points > 0:
        lines += ["", "[scoring]", f"points = {points}"]
    (target / "exercise.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_exercise(target)
    except ExerciseError as error:
        item.warnings.append(f"the imported folder does not load: {error}")
    return item
