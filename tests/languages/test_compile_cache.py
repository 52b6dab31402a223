"""The compile cache: on its own, under concurrent processes, and in `build`."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from language_support import hammer

from languages import BuildStatus, CompileCache, build, get_language
from languages.compile_cache import Entry, cache_key

HELLO_C = b'#include <stdio.h>\nint main(void) { puts("cached"); return 0; }\n'


def test_put_then_get(tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 1 << 20)
    cache.put("ab" * 32, Entry("OK", "warning: x\n", b"\x7fELF\n\x00binary"))
    cache.put("cd" * 32, Entry("CE", "error: y\n", None))
    assert cache.get("ab" * 32) == Entry("OK", "warning: x\n", b"\x7fELF\n\x00binary")
    assert cache.get("cd" * 32) == Entry("CE", "error: y\n", None)
    assert cache.get("ef" * 32) is None


def test_key_changes_with_every_part() -> None:
    keys = {
        cache_key("c", "gcc 12", "-O2", b"int main;"),
        cache_key("c", "gcc 13", "-O2", b"int main;"),
        cache_key("c", "gcc 12", "-O0", b"int main;"),
        cache_key("c", "gcc 12", "-O2", b"int main; "),
        cache_key("rust", "gcc 12", "-O2", b"int main;"),
        cache_key("c", "gcc 1", "2-O2", b"int main;"),  # no ambiguity when parts are joined
    }
    assert len(keys) == 6


def test_least_recently_used_entries_are_evicted(tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 3500)
    for name in ("aa", "bb", "cc"):
        cache.put(name * 32, Entry("OK", "", bytes(1000)))
    for age, name in enumerate(("aa", "bb", "cc")):  # aa oldest
        os.utime(cache.path(name * 32), (1_000_000 + age, 1_000_000 + age))
    assert cache.get("aa" * 32) is not None  # a hit makes aa the most recent
    cache.put("dd" * 32, Entry("OK", "", bytes(1000)))
    assert cache.get("bb" * 32) is None
    assert all(cache.get(name * 32) for name in ("aa", "cc", "dd"))


def test_an_entry_larger_than_the_cache_is_not_kept(tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 100)
    cache.put("aa" * 32, Entry("OK", "", bytes(1000)))
    assert cache.get("aa" * 32) is None


def test_corrupt_entry_is_a_miss_and_removed(tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 1 << 20)
    path = cache.path("aa" * 32)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not json\nxx")
    assert cache.get("aa" * 32) is None
    assert not path.exists()


def test_unwritable_cache_only_misses(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    cache = CompileCache(tmp_path / "file" / "cache", 1 << 20)  # under a regular file
    cache.put("aa" * 32, Entry("OK", "", b"x"))
    assert cache.get("aa" * 32) is None


def test_concurrent_processes_never_see_a_torn_entry(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(hammer, [(str(tmp_path), seed) for seed in range(4)])
    assert results == [[], [], [], []]
    assert not list(tmp_path.glob("*/.tmp-*"))  # no temporary file left behind
    assert sum(p.stat().st_size for p in tmp_path.glob("*/*")) <= 20_000


def test_identical_source_is_compiled_once(counting: Any, tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 64 << 20)
    c = get_language("c")
    first = build(c, HELLO_C, counting, cache)
    second = build(c, HELLO_C, counting, cache)
    assert (first.status, second.status) == (BuildStatus.OK, BuildStatus.OK)
    assert (first.cached, second.cached) == (False, True)
    assert len(counting.requests) == 1  # the second build ran nothing
    assert first.program and second.program
    assert second.program.files == first.program.files
    result = second.program.run(counting, b"", first.program.language.compile_limits)
    assert result.stdout == b"cached\n"


@pytest.mark.parametrize("language", ["python", "c"])
def test_compile_error_is_cached_too(counting: Any, tmp_path: Path, language: str) -> None:
    cache = CompileCache(tmp_path, 64 << 20)
    source = b"this is not a program (\n"
    first = build(get_language(language), source, counting, cache)
    second = build(get_language(language), source, counting, cache)
    assert (first.status, second.status) == (BuildStatus.CE, BuildStatus.CE)
    assert second.compile_output == first.compile_output
    assert len(counting.requests) == 1


def test_other_flags_compile_again(
    counting: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = CompileCache(tmp_path, 64 << 20)
    c = get_language("c")
    build(c, HELLO_C, counting, cache)
    monkeypatch.setenv("JUDGE_C_FLAGS", "-O0 -std=c11")
    again = build(c, HELLO_C, counting, cache)
    assert not again.cached
    assert len(counting.requests) == 2
    assert "-O0" in counting.requests[1].argv
