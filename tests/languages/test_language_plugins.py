"""Discovery of language plugins, their declarations, and a third-party plugin."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from languages import UnknownLanguage, all_languages, get_language, language_for_path
from languages.base import Language, merge_binds
from sandbox import Bind

Judge = Callable[..., subprocess.CompletedProcess[bytes]]

# A tiny language installed the way a pip package would be: a module and its
# dist-info with entry points. Also a plugin whose toolchain is missing and
# one that cannot even be imported.
PLUGIN = """
from languages.base import Language


class Sh(Language):
    id = "sh"
    name = "POSIX shell (test plugin)"
    extension = ".sh"
    toolchain = "/bin/sh"
    version_command = ("{toolchain}", "-c", "echo sh 1.0")
    run = ("{toolchain}", "{source}")
    toolchain_at_run = True
    self_test = "exec cat\\n"


class Ghost(Sh):
    id = "ghost"
    extension = ".ghost"
    toolchain = "judge-no-such-toolchain"
"""
ENTRY_POINTS = """\
[judge.languages]
sh = fake_sh:Sh
ghost = fake_sh:Ghost
broken = fake_sh_missing:Nope
"""


@pytest.fixture
def plugin_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    (site / "fake_sh-0.1.dist-info").mkdir(parents=True)
    (site / "fake_sh.py").write_text(PLUGIN)
    (site / "fake_sh-0.1.dist-info/METADATA").write_text(
        "Metadata-Version: 2.1\nName: fake-sh\nVersion: 0.1\n"
    )
    (site / "fake_sh-0.1.dist-info/entry_points.txt").write_text(ENTRY_POINTS)
    return {"PYTHONPATH": str(site)}


def test_built_ins_are_discovered() -> None:
    languages = all_languages()
    assert {"python", "c", "rust"} <= set(languages)
    assert all(isinstance(language, Language) for language in languages.values())
    assert [language.source_name for language in map(get_language, ("python", "c", "rust"))] == [
        "solution.py",
        "solution.c",
        "solution.rs",
    ]


def test_built_ins_are_available_here() -> None:
    for language_id in ("python", "c", "rust"):
        assert get_language(language_id).available(), language_id
    assert get_language("c").version() == get_language("c").version()  # probed once, stable
    assert "rustc" in (get_language("rust").version() or "")


def test_language_by_extension() -> None:
    assert language_for_path(Path("x/solution.rs")).id == "rust"
    assert language_for_path(Path("a.b.py")).id == "python"
    with pytest.raises(UnknownLanguage, match=r"cannot tell the language of notes\.txt"):
        language_for_path(Path("notes.txt"))


def test_unknown_language_id() -> None:
    with pytest.raises(UnknownLanguage, match=r"unknown language 'cobol'.*python"):
        get_language("cobol")
    assert issubclass(UnknownLanguage, ValueError)


def test_rust_compiles_with_the_real_toolchain_not_the_rustup_proxy() -> None:
    rust = get_language("rust")
    argv = rust.compile_argv()
    assert argv is not None
    sysroot = Path(argv[0]).parent.parent
    assert (sysroot / "lib/rustlib").is_dir()
    assert Bind(sysroot) in rust.compile_binds()
    assert Bind(sysroot) not in rust.run_binds()  # the binary needs only libc


def test_flags_are_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    c = get_language("c")
    assert c.compile_argv() == [str(c.toolchain_path), "solution.c", "-o", "solution",
                                "-O2", "-std=gnu17", "-lm"]  # fmt: skip
    monkeypatch.setenv("JUDGE_C_FLAGS", "-O0 -DLOCAL='1 2'")
    assert c.compile_argv() == [str(c.toolchain_path), "solution.c", "-o", "solution",
                                "-O0", "-DLOCAL=1 2"]  # fmt: skip


def test_python_packages_environment_is_bound_and_on_the_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from runners.settings import settings

    (tmp_path / "a").mkdir()  # b is missing: not bound, which would fail every run
    monkeypatch.setenv("JUDGE_PYTHON_PATH", f"{tmp_path}/a:{tmp_path}/b")
    settings.cache_clear()
    try:
        python = get_language("python")
        assert python.run_env()["PYTHONPATH"] == f"{tmp_path}/a:{tmp_path}/b"
        assert Bind(tmp_path / "a") in python.run_binds()
        assert Bind(tmp_path / "b") not in python.run_binds()
    finally:
        monkeypatch.delenv("JUDGE_PYTHON_PATH")
        settings.cache_clear()


def test_merge_binds_drops_what_is_already_shown() -> None:
    binds = [Bind(Path("/usr")), Bind(Path("/usr/lib")), Bind(Path("/opt/x")), Bind(Path("/opt"))]
    assert merge_binds(binds) == (Bind(Path("/usr")), Bind(Path("/opt")))
    elsewhere = Bind(Path("/srv/gcc"), "/usr/gcc")  # another source: kept
    assert merge_binds([Bind(Path("/usr")), elsewhere]) == (Bind(Path("/usr")), elsewhere)
    assert merge_binds([Bind(Path("/"))]) == ()


def test_third_party_plugin_is_listed(judge: Judge, plugin_env: dict[str, str]) -> None:
    done = judge("languages", "--json", env=plugin_env)
    assert done.returncode == 0, done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert {"python", "c", "rust", "sh", "ghost"} <= set(rows)
    assert rows["sh"] == {
        "id": "sh",
        "name": "POSIX shell (test plugin)",
        "extension": ".sh",
        "version": "sh 1.0",
        "available": True,
    }
    assert rows["ghost"]["available"] is False
    assert rows["ghost"]["version"] is None
    assert "judge-no-such-toolchain not found" in rows["ghost"]["reason"]
    assert b"fake_sh_missing" in done.stderr  # the broken plugin is reported, not fatal


def test_third_party_plugin_runs(judge: Judge, plugin_env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "hello.sh"
    script.write_text('read name; echo "hello, $name"\n')
    done = judge("run", script, "--stdin", "-", "--json", env=plugin_env, input=b"sh\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["status"], result["stdout"], result["compile_output"]) == (
        "OK",
        "hello, sh\n",
        None,
    )


def test_unavailable_language_is_a_clear_usage_error(
    judge: Judge, plugin_env: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "x.ghost"
    source.write_text("boo\n")
    done = judge("run", source, env=plugin_env)
    assert done.returncode == 2
    assert b"language ghost is not available here" in done.stderr
    assert b"Traceback" not in done.stderr


def test_languages_table(judge: Judge, plugin_env: dict[str, str]) -> None:
    done = judge("languages", env=plugin_env)
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert any(line.startswith("c ") and "gcc" in line for line in lines)
    assert any(line.startswith("ghost ") and "unavailable" in line for line in lines)


def test_languages_check(judge: Judge, plugin_env: dict[str, str]) -> None:
    done = judge("languages", "--check", "--json", env=plugin_env)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    for language_id in ("python", "c", "rust", "sh"):
        assert rows[language_id]["check"] == "ok", rows[language_id]
    assert "check" not in rows["ghost"]
