"""What a run reports is true: CPU time, wall time, peak memory, exit codes, signals.

Bounds come from the programs themselves (a program spins until its own CPU
clock says so), never from how long the test took.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sandbox_support import Runner, c_program

from sandbox import Limits, MiB, Status

ROOMY = Limits(cpu_time=3, wall_time=10, memory=256 * MiB)


def test_cpu_time_of_the_program(runner: Runner) -> None:
    result = runner.c(c_program("burn_cpu(0.3);\nreturn 0;"), limits=ROOMY)
    assert result.status == Status.OK, result
    assert 0.3 <= result.cpu_time < ROOMY.cpu_time


def test_cpu_time_of_children_waited_for(runner: Runner) -> None:
    body = """
    for (int i = 0; i < 2; i++)
        if (fork() == 0) { burn_cpu(0.3); return 0; }
    while (wait(NULL) > 0);
    return 0;
    """
    result = runner.c(c_program(body), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.cpu_time >= 0.6


def test_cpu_time_of_a_child_never_waited_for(runner: Runner) -> None:
    """The child tells its parent when it has burnt its share; the parent exits at once."""
    body = """
    int done[2];
    pipe(done);
    if (fork() == 0) { burn_cpu(0.3); write(done[1], "x", 1); pause(); }
    char c;
    read(done[0], &c, 1);
    return 0;
    """
    result = runner.c(c_program(body), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.cpu_time >= 0.3


def test_cpu_time_of_threads(runner: Runner) -> None:
    before = "static void *burn(void *arg) { burn_cpu(0.6); return arg; }"
    body = "pthread_t t;\npthread_create(&t, NULL, burn, NULL);\npthread_join(t, NULL);\nreturn 0;"
    result = runner.c(c_program(body, before), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.cpu_time >= 0.6


def test_python_cpu_time(runner: Runner) -> None:
    code = "import time\nwhile time.process_time() < 0.3:\n    pass"
    result = runner.python(code, limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.cpu_time >= 0.3


def test_wall_time_of_a_sleep(runner: Runner) -> None:
    result = runner.c(c_program("usleep(300000);\nreturn 0;"), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.wall_time >= 0.3
    assert result.cpu_time < result.wall_time


@pytest.mark.parametrize("megabytes", [120, 200])
def test_peak_memory_of_a_c_program(runner: Runner, megabytes: int) -> None:
    body = f"touch_heap({megabytes}UL << 20);\nreturn 0;"
    result = runner.c(c_program(body), limits=ROOMY)
    assert result.status == Status.OK, result
    assert megabytes * MiB <= result.memory < ROOMY.memory


def test_peak_memory_of_a_python_program(runner: Runner) -> None:
    result = runner.python("block = b'x' * (120 << 20)", limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.memory >= 120 * MiB


def test_peak_memory_of_a_freed_block(runner: Runner) -> None:
    """The peak, not what is left at the end."""
    result = runner.c(c_program("free(touch_heap(120UL << 20));\nreturn 0;"), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.memory >= 120 * MiB


def test_peak_memory_of_a_child(runner: Runner) -> None:
    body = "if (fork() == 0) { touch_heap(120UL << 20); return 0; }\nwait(NULL);\nreturn 0;"
    result = runner.c(c_program(body), limits=ROOMY)
    assert result.status == Status.OK, result
    assert result.memory >= 120 * MiB


def test_small_program_uses_little_memory(runner: Runner) -> None:
    result = runner.c(c_program('puts("hello");\nreturn 0;'), limits=ROOMY)
    assert result.status == Status.OK, result
    assert 0 < result.memory < 16 * MiB


@pytest.mark.parametrize("code", [0, 1, 42, 255])
def test_exit_code(runner: Runner, code: int) -> None:
    result = runner.c(c_program(f"return {code};"))
    assert result.status == (Status.OK if code == 0 else Status.RE), result
    assert result.exit_code == code
    assert result.signal is None
    if code:
        assert result.message == f"exit code {code}"


def test_python_uncaught_exception_is_re(runner: Runner) -> None:
    result = runner.python("raise ValueError('boom')")
    assert result.status == Status.RE, result
    assert result.exit_code == 1
    assert b"ValueError: boom" in result.stderr


def test_python_sys_exit_code(runner: Runner) -> None:
    result = runner.python("import sys\nsys.exit(3)")
    assert (result.status, result.exit_code) == (Status.RE, 3)


CRASHES = {
    signal.SIGSEGV: "*(volatile int *)0 = 1;",
    signal.SIGABRT: "abort();",
    signal.SIGFPE: "volatile int zero = 0;\nreturn argc / zero;",
    signal.SIGKILL: "kill(getpid(), SIGKILL);",
    signal.SIGTERM: "raise(SIGTERM);",
    signal.SIGPIPE: 'int p[2];\npipe(p);\nclose(p[0]);\nwrite(p[1], "x", 1);',
    signal.SIGBUS: "raise(SIGBUS);",
}


@pytest.mark.parametrize("number", CRASHES, ids=[number.name for number in CRASHES])
def test_killed_by_a_signal_is_re(runner: Runner, number: signal.Signals) -> None:
    result = runner.c(c_program(CRASHES[number] + "\nreturn 0;"))
    assert result.status == Status.RE, result
    assert result.signal == number
    assert result.exit_code is None
    assert number.name in result.message


def test_python_segfault_is_re(runner: Runner) -> None:
    result = runner.python("import ctypes\nctypes.string_at(0)")
    assert (result.status, result.signal) == (Status.RE, signal.SIGSEGV)


def test_stdin_from_bytes_and_from_a_host_file(runner: Runner, tmp_path: Path) -> None:
    echo = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())"
    data = bytes(range(256)) * 1000
    assert runner.python(echo, stdin=data).stdout[:1000] == data[:1000]
    source = tmp_path / "input.txt"
    source.write_bytes(b"from a file\n")
    assert runner.python(echo, stdin=source).stdout == b"from a file\n"


def test_environment_is_exactly_the_request_s(runner: Runner) -> None:
    body = "for (char **variable = environ; *variable; variable++) puts(*variable);\nreturn 0;"
    result = runner.c(c_program(body), env={"A": "1", "B": "two words"})
    assert result.stdout == b"A=1\nB=two words\n"


def test_program_runs_as_an_unprivileged_user_in_the_workspace(runner: Runner) -> None:
    code = "import os\nprint(os.getuid(), os.getgid(), os.getcwd(), os.getpid())"
    result = runner.python(code)
    assert result.stdout.split()[:3] == [b"1000", b"1000", b"/box"]


def test_workspace_files_in_and_out(runner: Runner) -> None:
    code = """
import os
os.symlink("/etc/passwd", "link")
os.mkfifo("fifo")
os.mkdir("folder")
with open("out.txt", "w") as out:
    out.write(open("in.txt").read().upper())
"""
    result = runner.python(
        code,
        files={"in.txt": b"hello"},
        collect=["out.txt", "link", "fifo", "folder", "missing"],
    )
    assert result.status == Status.OK, result
    assert dict(result.files) == {"out.txt": b"HELLO"}
