"""Each limit gives its own status: MLE, TLE (CPU or wall), OLE, and nothing else."""

from __future__ import annotations

import pytest
from sandbox_support import FAST, Runner, c_program

from sandbox import KiB, Limits, MiB, Status

HEAP_BOMB = c_program("for (;;) touch_heap(1 << 20);")
STATIC_BOMB = c_program(
    "memset(big, 1, sizeof big); return big[12345] - 1;",
    before="static char big[512 << 20];",
)
MMAP_BOMB = c_program("""
    size_t size = 512 << 20;
    char *memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < size; i += 4096) memory[i] = 1;
    return 0;
""")


@pytest.mark.parametrize(
    "source", [HEAP_BOMB, STATIC_BOMB, MMAP_BOMB], ids=["heap", "static", "mmap"]
)
def test_c_memory_bombs_are_mle(runner: Runner, source: str) -> None:
    result = runner.c(source)
    assert result.status == Status.MLE, result
    assert "memory" in result.message
    assert result.memory >= FAST.memory * 0.9


def test_python_memory_bomb_is_mle(runner: Runner) -> None:
    result = runner.python("blocks = []\nwhile True:\n    blocks.append(b'x' * (1 << 20))")
    assert result.status == Status.MLE, result
    assert result.memory >= FAST.memory * 0.9


def test_memory_of_a_child_counts(runner: Runner) -> None:
    body = "if (fork() == 0) for (;;) touch_heap(1 << 20);\nwait(NULL);\nreturn 0;"
    result = runner.c(c_program(body))
    assert result.status == Status.MLE, result


def test_memory_bomb_over_small_processes_is_mle(runner: Runner) -> None:
    """Each process stays small: the limit is reached by all of them together."""
    body = """
    for (int i = 0; i < 30; i++) {
        if (fork() == 0) {
            touch_heap(4 << 20);
            pause();
        }
    }
    while (wait(NULL) > 0);
    return 0;
    """
    result = runner.c(c_program(body), limits=Limits(cpu_time=2, wall_time=5, memory=64 * MiB))
    assert result.status == Status.MLE, result


def test_busy_loop_is_tle_by_cpu_time(runner: Runner) -> None:
    result = runner.c(c_program("for (volatile int i = 0;; i++);"))
    assert result.status == Status.TLE, result
    assert "CPU" in result.message
    assert result.cpu_time >= FAST.cpu_time


def test_python_busy_loop_is_tle_by_cpu_time(runner: Runner) -> None:
    result = runner.python("while True:\n    pass")
    assert result.status == Status.TLE, result
    assert "CPU" in result.message


def test_busy_threads_are_tle_by_cpu_time(runner: Runner) -> None:
    before = "static void *spin(void *arg) { for (volatile int i = 0;; i++); return arg; }"
    body = "pthread_t t;\npthread_create(&t, NULL, spin, NULL);\nspin(NULL);"
    limits = Limits(cpu_time=0.5, wall_time=10)
    result = runner.c(c_program(body, before), limits=limits)
    assert result.status == Status.TLE, result
    assert "CPU" in result.message
    assert result.cpu_time >= limits.cpu_time


def test_busy_child_left_behind_is_tle_by_cpu_time(runner: Runner) -> None:
    """The program waits for nothing: its child's CPU time counts all the same."""
    body = "if (fork() == 0) for (volatile int i = 0;; i++);\npause();"
    result = runner.c(c_program(body))
    assert result.status == Status.TLE, result
    assert "CPU" in result.message


WAITS = {
    "sleep": c_program("sleep(1000);"),
    "pause": c_program("for (;;) pause();"),
    "blocked read": c_program("int p[2];\npipe(p);\nchar c;\nread(p[0], &c, 1);"),
    "SIGSTOP": c_program("raise(SIGSTOP);\nreturn 0;"),
    "stopped child": c_program("if (fork() == 0) raise(SIGSTOP);\nwait(NULL);\nreturn 0;"),
}


@pytest.mark.parametrize("source", WAITS.values(), ids=WAITS.keys())
def test_waiting_forever_is_tle_by_wall_time(runner: Runner, source: str) -> None:
    result = runner.c(source)
    assert result.status == Status.TLE, result
    assert "wall" in result.message
    assert result.wall_time >= FAST.wall_time
    assert result.cpu_time < FAST.cpu_time


def test_python_sleep_is_tle_by_wall_time(runner: Runner) -> None:
    result = runner.python("import time\ntime.sleep(1000)")
    assert result.status == Status.TLE, result
    assert "wall" in result.message


FLOOD = """
    char buffer[65536];
    memset(buffer, 'x', sizeof buffer);
    for (;;) write({fd}, buffer, sizeof buffer);
"""


@pytest.mark.parametrize("fd", [1, 2], ids=["stdout", "stderr"])
def test_output_flood_is_ole(runner: Runner, fd: int) -> None:
    limits = Limits(cpu_time=2, wall_time=5, output=256 * KiB, output_kept=4 * KiB)
    result = runner.c(c_program(FLOOD.format(fd=fd)), limits=limits)
    assert result.status == Status.OLE, result
    assert "output" in result.message
    flooded = result.stdout if fd == 1 else result.stderr
    assert flooded == b"x" * limits.output_kept
    assert (result.stdout_truncated, result.stderr_truncated) == (fd == 1, fd == 2)


def test_python_output_flood_is_ole(runner: Runner) -> None:
    result = runner.python("while True:\n    print('x' * 1000)")
    assert result.status == Status.OLE, result
    assert result.stdout_truncated


def test_output_at_the_limit_is_ok(runner: Runner) -> None:
    limits = Limits(cpu_time=2, wall_time=5, output=64 * KiB, output_kept=1 * KiB)
    body = f"char buffer[{limits.output}];\nmemset(buffer, 'y', sizeof buffer);\n"
    body += "fwrite(buffer, 1, sizeof buffer, stdout);\nreturn 0;"
    result = runner.c(c_program(body), limits=limits)
    assert result.status == Status.OK, result
    assert result.stdout == b"y" * limits.output_kept
    assert result.stdout_truncated


def test_file_over_the_size_limit_is_ole(runner: Runner) -> None:
    limits = Limits(cpu_time=2, wall_time=5, file_size=1 * MiB)
    body = """
    char buffer[65536] = {0};
    int fd = open("big", O_WRONLY | O_CREAT, 0644);
    for (int i = 0; i < 32; i++) write(fd, buffer, sizeof buffer);
    return 0;
    """
    result = runner.c(c_program(body), limits=limits)
    assert result.status == Status.OLE, result
    assert result.signal == 25  # SIGXFSZ
    assert "file size" in result.message


def test_python_file_over_the_size_limit_is_ole(runner: Runner) -> None:
    code = "with open('/tmp/big', 'wb') as f:\n    f.write(bytes(2 << 20))"
    result = runner.python(code, limits=Limits(cpu_time=2, wall_time=5, file_size=1 * MiB))
    assert result.status == Status.OLE, result
