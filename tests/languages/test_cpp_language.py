"""C++, the built-in `cpp`: g++ with -O2 -std=gnu++20, in the real sandbox.

The statuses every language shares (TLE, MLE, OLE, CE, RE...) are covered for
C++ too by test_language_programs.py; here is what is C++'s own.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from languages import BuildStatus, CompileCache, build, get_language, language_for_path, self_test
from languages.runs import SourceRun
from sandbox import Sandbox

RunProgram = Callable[..., SourceRun]
Judge = Callable[..., subprocess.CompletedProcess[bytes]]

# Concepts, ranges and designated initializers: C++20 in GNU dialect.
MODERN = """\
#include <algorithm>
#include <concepts>
#include <iostream>
#include <ranges>
#include <vector>

struct Point { int x, y; };

template <std::integral T>
T twice(T value) { return 2 * value; }

int main() {
    std::vector<int> numbers;
    for (int n; std::cin >> n;) numbers.push_back(n);
    std::ranges::sort(numbers);
    Point point{.x = twice(numbers.front()), .y = twice(numbers.back())};
    for (int n : numbers | std::views::reverse) std::cout << n << ' ';
    std::cout << point.x << ' ' << point.y << '\\n';
}
"""


def test_cpp_is_a_built_in_available_here() -> None:
    cpp = get_language("cpp")
    assert (cpp.name, cpp.extension, cpp.source_name) == ("C++ (GCC)", ".cpp", "solution.cpp")
    assert cpp.available()
    assert "g++" in (cpp.version() or "")


@pytest.mark.parametrize("name", ["a.cpp", "dir/b.cc", "x.y.cc"])
def test_cpp_by_extension(name: str) -> None:
    assert language_for_path(Path(name)).id == "cpp"


def test_c_files_stay_c() -> None:
    assert language_for_path(Path("a.c")).id == "c"


def test_cpp_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    cpp = get_language("cpp")
    assert cpp.compile_argv() == [str(cpp.toolchain_path), "solution.cpp", "-o", "solution",
                                  "-O2", "-std=gnu++20"]  # fmt: skip
    monkeypatch.setenv("JUDGE_CPP_FLAGS", "-O0 -std=c++17")
    assert cpp.compile_argv() == [str(cpp.toolchain_path), "solution.cpp", "-o", "solution",
                                  "-O0", "-std=c++17"]  # fmt: skip


def test_cpp20_compiles_and_runs(run_program: RunProgram) -> None:
    run = run_program("cpp", MODERN, b"3 1 2\n")
    assert run.status == "OK", run.build.compile_output
    assert run.result and run.result.stdout == b"3 2 1 2 6\n"


def test_uncaught_exception_is_re_with_its_message(run_program: RunProgram) -> None:
    source = '#include <stdexcept>\nint main() { throw std::out_of_range("index 7"); }\n'
    run = run_program("cpp", source)
    assert run.status == "RE"
    assert run.result and run.result.signal == 6  # std::terminate aborts
    assert b"std::out_of_range" in run.result.stderr and b"index 7" in run.result.stderr


def test_compile_error_names_the_line(run_program: RunProgram) -> None:
    run = run_program("cpp", "#include <vector>\nint main() {\n    std::vector<int> v = 3;\n}\n")
    assert run.status == "CE"
    assert run.build.compile_output and "solution.cpp:3" in run.build.compile_output


def test_cpp_self_test(box: Sandbox) -> None:
    assert self_test(get_language("cpp"), box) is None


def test_identical_cpp_source_is_compiled_once(counting: Any, tmp_path: Path) -> None:
    cache = CompileCache(tmp_path, 64 << 20)
    cpp = get_language("cpp")
    first = build(cpp, MODERN.encode(), counting, cache)
    second = build(cpp, MODERN.encode(), counting, cache)
    assert (first.status, second.status) == (BuildStatus.OK, BuildStatus.OK)
    assert (first.cached, second.cached) == (False, True)
    assert len(counting.requests) == 1
    assert first.program and second.program
    assert second.program.files == first.program.files


def test_judge_run_picks_cpp_for_cc_files(judge: Judge, tmp_path: Path) -> None:
    source = tmp_path / "sort.cc"
    source.write_text(MODERN)
    done = judge("run", source, "--stdin", "-", "--json", input=b"5 4\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["stdout"] == "5 4 8 10\n"


def test_judge_languages_lists_cpp_with_its_check(judge: Judge) -> None:
    done = judge("languages", "--check", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows["cpp"]["available"] is True
    assert rows["cpp"]["extension"] == ".cpp"
    assert rows["cpp"]["version"].startswith("g++")
    assert rows["cpp"]["check"] == "ok"
