"""Every built-in language, end to end in the real sandbox: each status of the contract."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from languages import get_language
from languages.runs import SourceRun

RunProgram = Callable[..., SourceRun]

LANGUAGES = ("python", "c", "cpp", "rust")

HELLO = {
    "python": 'print("hello, world")\n',
    "c": '#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n',
    "cpp": '#include <iostream>\nint main() { std::cout << "hello, world" << std::endl; }\n',
    "rust": 'fn main() { println!("hello, world"); }\n',
}

# Prints how many bytes stdin had.
COUNT = {
    "python": "import sys\nprint(len(sys.stdin.buffer.read()))\n",
    "c": """\
#include <stdio.h>
int main(void) {
    char buffer[65536];
    size_t n, total = 0;
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) total += n;
    printf("%zu\\n", total);
    return 0;
}
""",
    "cpp": """\
#include <iostream>
#include <iterator>
#include <string>
int main() {
    std::string input(std::istreambuf_iterator<char>(std::cin), {});
    std::cout << input.size() << '\\n';
}
""",
    "rust": """\
use std::io::Read;
fn main() {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).unwrap();
    println!("{}", input.len());
}
""",
}

SYNTAX_ERROR = {
    "python": "def f(:\n    pass\n",
    "c": "int main(void) { return 0 }\n",
    "cpp": "int main() { auto x = ; }\n",
    "rust": "fn main() { let x = ; }\n",
}

EXIT_3 = {
    "python": "import sys\nsys.exit(3)\n",
    "c": "int main(void) { return 3; }\n",
    "cpp": "#include <cstdlib>\nint main() { std::exit(3); }\n",
    "rust": "fn main() { std::process::exit(3); }\n",
}

# A crash: uncaught exception, segmentation fault, panic.
CRASH = {
    "python": "raise RuntimeError('boom')\n",
    "c": "int main(void) { volatile int *p = 0; *p = 1; return 0; }\n",
    "cpp": '#include <stdexcept>\nint main() { throw std::runtime_error("boom"); }\n',
    "rust": """\
fn main() {
    let v: Vec<i32> = Vec::new();
    println!("{}", v[std::env::args().count()]);
}
""",
}

LOOP = {
    "python": "while True:\n    pass\n",
    "c": "int main(void) { volatile unsigned long i = 0; for (;;) i++; }\n",
    "cpp": "int main() { volatile unsigned long i = 0; for (;;) i++; }\n",
    "rust": """\
fn main() {
    let mut i: u64 = 0;
    loop { i = std::hint::black_box(i + 1); }
}
""",
}

# Touches 1 GiB, 1 MiB at a time.
MEMORY_HOG = {
    "python": "chunks = []\nfor _ in range(1024):\n    chunks.append(b'x' * 2**20)\n",
    "c": """\
#include <stdlib.h>
#include <string.h>
int main(void) {
    for (int i = 0; i < 1024; i++) {
        char *volatile chunk = malloc(1 << 20);
        if (chunk) memset(chunk, 1, 1 << 20);
    }
    return 0;
}
""",
    "cpp": """\
#include <memory>
#include <vector>
int main() {
    std::vector<std::unique_ptr<char[]>> chunks;
    for (int i = 0; i < 1024; i++) chunks.emplace_back(new char[1 << 20]());
}
""",
    "rust": """\
fn main() {
    let mut chunks = Vec::new();
    for _ in 0..1024 { chunks.push(std::hint::black_box(vec![1u8; 1 << 20])); }
    std::hint::black_box(&chunks);
}
""",
}

SPAM = {
    "python": "while True:\n    print('x' * 1000)\n",
    "c": '#include <stdio.h>\nint main(void) { for (;;) puts("xxxxxxxxxxxxxxxx"); }\n',
    "cpp": '#include <iostream>\nint main() { for (;;) std::cout << "xxxxxxxxxxxxxxxx\\n"; }\n',
    "rust": 'fn main() { loop { println!("xxxxxxxxxxxxxxxx"); } }\n',
}


def read_at_compile_time(language: str, path: str) -> str:
    """A source that includes the host file `path` while compiling."""
    return {
        "c": f'#include "{path}"\nint main(void) {{ return 0; }}\n',
        "cpp": f'#include "{path}"\nint main() {{ return 0; }}\n',
        "rust": f'const S: &str = include_str!("{path}");\nfn main() {{ println!("{{}}", S); }}\n',
    }[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_hello(run_program: RunProgram, language: str) -> None:
    run = run_program(language, HELLO[language])
    assert run.status == "OK"
    assert run.result and run.result.stdout == b"hello, world\n"
    assert run.build.compile_output is not None  # every built-in has a compile step


@pytest.mark.parametrize("language", LANGUAGES)
def test_echo_is_byte_exact(run_program: RunProgram, language: str) -> None:
    data = "line 1\nh\u00e9 \u2713\r\n\x00\xff end".encode("utf-8", "surrogatepass") + b"\xff\xfe"
    run = run_program(language, get_language(language).self_test, data)
    assert run.status == "OK"
    assert run.result and run.result.stdout == data


@pytest.mark.parametrize("language", LANGUAGES)
def test_big_input(run_program: RunProgram, language: str, tmp_path: Path) -> None:
    stdin = tmp_path / "big.in"
    stdin.write_bytes(b"1234567\n" * (1 << 20))  # 8 MiB
    run = run_program(language, COUNT[language], stdin)
    assert run.status == "OK"
    assert run.result and run.result.stdout == b"%d\n" % (8 << 20)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compile_error(run_program: RunProgram, language: str) -> None:
    run = run_program(language, SYNTAX_ERROR[language])
    assert run.status == "CE"
    assert run.result is None
    assert run.build.compile_output and "solution" in run.build.compile_output
    assert "/box/" not in run.build.compile_output


def test_python_syntax_error_reads_like_python(run_program: RunProgram) -> None:
    run = run_program("python", "x = 1\nprint(x\n")
    assert run.status == "CE"
    assert run.build.compile_output is not None
    assert 'File "solution.py", line 2' in run.build.compile_output
    assert "SyntaxError" in run.build.compile_output
    assert "Traceback" not in run.build.compile_output


@pytest.mark.parametrize("language", LANGUAGES)
def test_non_zero_exit(run_program: RunProgram, language: str) -> None:
    run = run_program(language, EXIT_3[language])
    assert run.status == "RE"
    assert run.result and run.result.exit_code == 3


def test_python_uncaught_exception(run_program: RunProgram) -> None:
    run = run_program("python", CRASH["python"])
    assert run.status == "RE"
    assert run.result and b"RuntimeError: boom" in run.result.stderr


def test_c_segfault(run_program: RunProgram) -> None:
    run = run_program("c", CRASH["c"])
    assert run.status == "RE"
    assert run.result and run.result.signal == 11


def test_rust_panic(run_program: RunProgram) -> None:
    run = run_program("rust", CRASH["rust"])
    assert run.status == "RE"
    assert run.result and run.result.exit_code == 101
    assert b"index out of bounds" in run.result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_time_limit(run_program: RunProgram, language: str) -> None:
    assert run_program(language, LOOP[language]).status == "TLE"


@pytest.mark.parametrize("language", LANGUAGES)
def test_memory_limit(run_program: RunProgram, language: str) -> None:
    assert run_program(language, MEMORY_HOG[language]).status == "MLE"


@pytest.mark.parametrize("language", LANGUAGES)
def test_output_limit(run_program: RunProgram, language: str) -> None:
    assert run_program(language, SPAM[language]).status == "OLE"


@pytest.fixture
def secret_file() -> Iterator[tuple[Path, str]]:
    """A host file the sandbox must never show, with its content."""
    content = f"TOP-SECRET-{secrets.token_hex(8)}"
    path = Path(f"/tmp/judge-secret-{secrets.token_hex(8)}")
    path.write_text(f'"{content}"\n')
    yield path, content
    path.unlink()


@pytest.mark.parametrize("language", ["c", "cpp", "rust"])
def test_compiler_cannot_read_host_files(
    run_program: RunProgram, language: str, secret_file: tuple[Path, str]
) -> None:
    path, content = secret_file
    run = run_program(language, read_at_compile_time(language, str(path)))
    assert run.status == "CE"
    assert run.build.compile_output is not None
    assert str(path) in run.build.compile_output  # the compiler says what it missed
    assert content not in run.build.compile_output


@pytest.mark.parametrize("language", ["c", "cpp", "rust"])
def test_compiler_cannot_read_etc_shadow(run_program: RunProgram, language: str) -> None:
    run = run_program(language, read_at_compile_time(language, "/etc/shadow"))
    assert run.status == "CE"
    assert run.build.compile_output is not None
    assert "root:" not in run.build.compile_output


def test_python_cannot_read_host_files(
    run_program: RunProgram, secret_file: tuple[Path, str]
) -> None:
    path, content = secret_file
    run = run_program("python", f"print(open({str(path)!r}).read())\n")
    assert run.status == "RE"
    assert run.result and b"FileNotFoundError" in run.result.stderr
    assert content.encode() not in run.result.stdout + run.result.stderr


def test_c_links_the_math_library(run_program: RunProgram) -> None:
    source = """\
#include <math.h>
#include <stdio.h>
int main(void) { printf("%.0f\\n", sqrt(49.0 + getchar())); }
"""
    run = run_program("c", source, b"\x0f")  # sqrt(49 + 15): not folded at compile time
    assert run.result and run.result.stdout == b"8\n"
