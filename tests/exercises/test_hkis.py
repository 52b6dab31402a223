"""Importing HackInScience exercises: slugs, translations, limits, updates, conflicts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from exercise_support import HKIS_EXERCISES, Judge

from runners.judging.exercise import load_exercise
from runners.judging.hkis import HkisError, Imported, Outcome, import_hkis
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
SLUGS = ["c-hello-world-c", "fix-indentation", "is-prime", "nsi-print-42", "print-42"]


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


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of the HackInScience exercises kept in tests/ (a repository's layout)."""
    return Path(shutil.copytree(HKIS_EXERCISES, tmp_path / "hkis-exercises"))


def by_slug(items: list[Imported]) -> dict[str, Imported]:
    return {item.slug: item for item in items}


def test_import_converts_folders(hkis_source: Path, tmp_path: Path) -> None:
    imported = import_hkis(hkis_source, tmp_path / "out")
    assert [item.source.name for item in imported] == ["Hello Helper", "count-words"]
    count, helper = by_slug(imported)["count-words"], by_slug(imported)["hello-helper"]
    assert count.outcome is Outcome.CREATED and count.warnings == []
    assert count.packages == set()
    assert helper.packages == {"correction-helper", "sympy"}
    exercise = load_exercise(count.path)
    assert exercise.title == "Count words"
    assert exercise.wording == "# Count words\n"
    assert exercise.translations == {"fr": "# Compter les mots\n"}
    assert exercise.languages == ("python",)
    assert exercise.checker.kind == "script"
    assert exercise.max_score == 20
    # HackInScience's limits for a check: 20 s of CPU, 1.5 GB
    assert exercise.checker.time == 20
    assert exercise.limits.memory + 256 == 1536
    assert (count.path / "pre_check.py").read_text() == PRE_CHECK
    assert (count.path / "testenv" / "words.txt").is_file()
    assert json.loads((count.path / "meta").read_text())["slug"] == "count-words"
    assert load_exercise(helper.path).wording == "# Bonjour\n"
    assert helper.warnings == ["no wording_en.md: wording.md is wording_fr.md"]
    assert json.loads((helper.path / "meta").read_text()) == {"slug": "hello-helper"}  # a marker


def test_a_whole_repository_in_one_command(repository: Path, tmp_path: Path) -> None:
    seen: list[str] = []
    imported = import_hkis(repository, tmp_path / "out", lambda item: seen.append(item.slug))
    assert seen == [item.slug for item in imported]  # reported as it goes
    assert sorted(seen) == SLUGS
    assert {item.outcome for item in imported} == {Outcome.CREATED}
    items = by_slug(imported)
    # nsi/print-42 and exercises/print-42 are different exercises on HackInScience
    assert items["nsi-print-42"].source == repository / "nsi" / "print-42"
    assert items["print-42"].source == repository / "exercises" / "print-42"
    assert "Vous n'êtes pas dans un REPL" in (items["nsi-print-42"].path / "check.py").read_text()
    hello = load_exercise(items["c-hello-world-c"].path)
    assert hello.languages == ("c",)
    for item in imported:
        assert item.packages >= {"correction-helper"}
        assert "fr" in load_exercise(item.path).translations
    assert items["is-prime"].packages == {"correction-helper", "sympy"}


def test_importing_again_updates_what_changed(repository: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_hkis(repository, out)
    solution = out / "print-42" / "solutions" / "ac.py"
    solution.parent.mkdir()
    solution.write_text("print(42)\n")
    source = repository / "exercises" / "print-42"
    (source / "check.py").write_text("print('changed')\n")
    (source / "pre_check.py").unlink()
    (source / "testenv").mkdir()
    (source / "testenv" / "data.txt").write_text("new\n")
    items = by_slug(import_hkis(repository, out))
    assert items["print-42"].outcome is Outcome.UPDATED
    assert items["print-42"].changed == ["check.py", "testenv/data.txt", "pre_check.py (removed)"]
    assert {items[slug].outcome for slug in SLUGS if slug != "print-42"} == {Outcome.UNCHANGED}
    assert (out / "print-42" / "check.py").read_text() == "print('changed')\n"
    assert not (out / "print-42" / "pre_check.py").exists()
    assert solution.read_text() == "print(42)\n"  # what the author added stays
    shutil.rmtree(source / "testenv")
    items = by_slug(import_hkis(repository, out))
    assert items["print-42"].changed == ["testenv/data.txt (removed)"]
    assert not (out / "print-42" / "testenv").exists()


def test_a_destination_inside_the_source_is_not_imported_again(repository: Path) -> None:
    import_hkis(repository, repository / "imported")
    again = import_hkis(repository, repository / "imported")
    assert sorted(item.slug for item in again) == SLUGS
    assert {item.outcome for item in again} == {Outcome.UNCHANGED}


def test_folders_not_imported_are_left_alone(repository: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "print-42").mkdir(parents=True)
    (out / "print-42" / "check.py").write_text("mine\n")
    (out / "is-prime").mkdir()
    (out / "is-prime" / "meta").write_text(json.dumps({"url": "https://example.org/other/"}))
    items = by_slug(import_hkis(repository, out))
    assert items["print-42"].outcome is Outcome.FAILED
    assert "was not imported from HackInScience" in items["print-42"].error
    assert (out / "print-42" / "check.py").read_text() == "mine\n"
    assert items["is-prime"].outcome is Outcome.FAILED
    assert "holds another HackInScience exercise" in items["is-prime"].error
    assert items["nsi-print-42"].outcome is Outcome.CREATED


def test_two_folders_with_one_slug(hkis_source: Path, tmp_path: Path) -> None:
    meta = (hkis_source / "count-words" / "meta").read_text()
    hkis_folder(hkis_source, "words-again", {"check.py": CHECK, "meta": meta})
    items = import_hkis(hkis_source, tmp_path / "out")
    assert [(i.slug, i.outcome) for i in items] == [
        ("hello-helper", Outcome.CREATED),
        ("count-words", Outcome.CREATED),
        ("count-words", Outcome.FAILED),
    ]
    assert "already given to" in items[2].error


def test_import_refuses_what_is_not_hkis(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(HkisError, match="no HackInScience exercise"):
        import_hkis(empty, tmp_path / "out")


def test_imported_check_judges_in_the_sandbox(
    hkis_source: Path, tmp_path: Path, run_judge: Judge
) -> None:
    count = by_slug(import_hkis(hkis_source, tmp_path / "out"))["count-words"]
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
    helper = by_slug(import_hkis(hkis_source, tmp_path / "out"))["hello-helper"]
    site = tmp_path / "site"
    site.mkdir()
    for path in (tmp_path, site):
        path.chmod(0o755)
    python_path(site)
    missing = run_judge(helper.path, "python", "x = 1\n")
    # ModuleNotFoundError before the check touched the submission: the judge's failure
    assert missing.verdict is Verdict.IE
    assert missing.failure and "No module named 'correction_helper'" in missing.failure
    (site / "sympy").mkdir()
    (site / "sympy" / "__init__.py").write_text("")
    (site / "correction_helper.py").write_text("def congrats():\n    return 'Bravo!'\n")
    (site / "sympy").chmod(0o755)
    provided = run_judge(helper.path, "python", "x = 1\n")
    assert provided.verdict is Verdict.AC
    assert provided.tests[0].message == "Bravo!"
