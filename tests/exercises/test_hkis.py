"""Importing HackInScience-shaped exercises, then judging them in the sandbox."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from exercise_support import Judge

from runners.judging.exercise import load_exercise
from runners.judging.hkis import HkisError, import_hkis
from runners.judging.verdict import Verdict

# A check in HackInScience's style: pre_check renames `solution`, the check
# imports it in-process, reads testenv/, prints Markdown, exits 1 on failure.
CHECK = """import sys
from pathlib import Path

from solution import count_words

expected = len(Path("words.txt").read_text().split())
got = count_words("words.txt")
if got != expected:
    print(f"`count_words('words.txt')` returned `{got}`, expected `{expected}`.")
    sys.exit(1)
print("Congrats!")
"""

PRE_CHECK = 'from pathlib import Path\n\nPath("solution").rename("solution.py")\n'

HELPER_CHECK = """from correction_helper import congrats
import sympy

print(congrats())
"""

GOOD = "def count_words(path):\n    return len(open(path).read().split())\n"


def hkis_folder(root: Path, name: str, files: dict[str, str]) -> Path:
    folder = root / name
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def hkis_source(tmp_path: Path) -> Path:
    """Two HackInScience exercises, as in their repository."""
    root = tmp_path / "hkis" / "exercises"
    meta = {
        "title": "Compter les mots",
        "title_en": "Count words",
        "slug": "count-words",
        "points": 20,
        "is_published": True,
    }
    hkis_folder(
        root,
        "count-words",
        {
            "check.py": CHECK,
            "pre_check.py": PRE_CHECK,
            "meta": json.dumps(meta),
            "wording_en.md": "# Count words\n",
            "wording_fr.md": "# Compter les mots\n",
            "initial_solution.py": "def count_words(path):\n    ...\n",
            "testenv/words.txt": "one two three\nfour\n",
        },
    )
    hkis_folder(root, "Hello Helper", {"check.py": HELPER_CHECK, "wording_fr.md": "# Bonjour\n"})
    return root


def test_import_converts_folders(hkis_source: Path, tmp_path: Path) -> None:
    imported = import_hkis(hkis_source, tmp_path / "out")
    assert [item.slug for item in imported] == ["count-words", "hello-helper"]
    count, helper = imported
    assert count.packages == set() and count.warnings == []
    assert helper.packages == {"correction-helper", "sympy"}
    exercise = load_exercise(count.path)
    assert exercise.title == "Count words"
    assert exercise.wording == "# Count words\n"
    assert exercise.languages == ("python",)
    assert exercise.checker.kind == "script"
    assert exercise.max_score == 20
    assert (count.path / "pre_check.py").read_text() == PRE_CHECK
    assert (count.path / "testenv" / "words.txt").is_file()
    assert load_exercise(helper.path).wording == "# Bonjour\n"


def test_import_refuses_non_hkis_and_overwrites(hkis_source: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(HkisError, match="no HackInScience exercise"):
        import_hkis(empty, tmp_path / "out")
    import_hkis(hkis_source / "count-words", tmp_path / "out")
    with pytest.raises(HkisError, match="already exists"):
        import_hkis(hkis_source / "count-words", tmp_path / "out")


def test_imported_check_judges_in_the_sandbox(
    hkis_source: Path, tmp_path: Path, run_judge: Judge
) -> None:
    (count, _) = import_hkis(hkis_source, tmp_path / "out")
    accepted = run_judge(count.path, "python", GOOD)
    assert accepted.verdict is Verdict.AC and accepted.tests[0].message == "Congrats!"
    wrong = run_judge(count.path, "python", "def count_words(path):\n    return 0\n")
    assert wrong.verdict is Verdict.WA
    assert wrong.tests[0].message == "`count_words('words.txt')` returned `0`, expected `4`."


@pytest.fixture
def python_path(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Point JUDGE_PYTHON_PATH at a folder, as an operator would; restored afterwards."""
    mp = pytest.MonkeyPatch()

    def use(folder: Path) -> None:
        mp.setenv("JUDGE_PYTHON_PATH", str(folder))

    yield use
    mp.undo()


def test_packages_come_from_the_configured_environment(
    hkis_source: Path, tmp_path: Path, run_judge: Judge, python_path: Callable[[Path], None]
) -> None:
    (_, helper) = import_hkis(hkis_source, tmp_path / "out")
    missing = run_judge(helper.path, "python", "x = 1\n")
    assert missing.verdict is Verdict.WA  # ModuleNotFoundError: the check fails
    site = tmp_path / "site"
    (site / "sympy").mkdir(parents=True)
    (site / "sympy" / "__init__.py").write_text("")
    (site / "correction_helper.py").write_text("def congrats():\n    return 'Bravo!'\n")
    for path in (tmp_path, site, site / "sympy"):
        path.chmod(0o755)
    python_path(site)
    provided = run_judge(helper.path, "python", "x = 1\n")
    assert provided.verdict is Verdict.AC
    assert provided.tests[0].message == "Bravo!"
