"""Python's fork server: the tests of one submission are forks of one warm interpreter,
and no test sees or alters what an earlier one did to the interpreter or to the server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from languages import CompileCache, build, get_language
from sandbox import Limits, RunResult, Sandbox, Status

LIMITS = Limits(cpu_time=2, wall_time=5, open_files=64)
FIND_SERVER = """
import os
server = next(
    int(pid) for pid in os.listdir("/proc")
    if pid.isdigit() and b"--fork-server" in open(f"/proc/{pid}/cmdline", "rb").read()
)
"""


@pytest.fixture
def session(box: Sandbox) -> Iterator[Sandbox]:
    with box.session():
        yield box


def run(source: str, box: Sandbox, cache: CompileCache, stdin: bytes = b"") -> RunResult:
    built = build(get_language("python"), source.encode(), box, cache)
    assert built.program is not None and built.program.fork_server, built
    return built.program.run(box, stdin, LIMITS)


def test_a_test_cannot_change_the_interpreter_of_the_next(
    session: Sandbox, cache: CompileCache
) -> None:
    tamper = """
import builtins, collections, json, math, os, sys
builtins.len = lambda thing: 42
collections.deque = None
math.pi = 3
sys.setrecursionlimit(50)
sys.path.insert(0, "/tmp")
os.environ["LEFT"] = "by an earlier test"
os.chdir("/tmp")
"""
    look = """
import collections, math, os, sys
print(len("ab"), collections.deque is None, math.pi == 3, sys.getrecursionlimit() > 50)
print("/tmp" in sys.path, "LEFT" in os.environ, os.getcwd(), "json" in sys.modules)
"""
    assert run(tamper, session, cache).status == Status.OK
    result = run(look, session, cache)
    assert result.stdout == b"2 False False True\nFalse False /box False\n", result


def test_each_test_gets_its_own_random_sequence(session: Sandbox, cache: CompileCache) -> None:
    draw = "import random\nprint(random.getrandbits(64))"
    draws = {run(draw, session, cache).stdout for _ in range(3)}
    assert len(draws) == 3


def test_a_test_that_kills_the_server_does_not_fail_the_next(
    session: Sandbox, cache: CompileCache
) -> None:
    kill = FIND_SERVER + "os.kill(server, 9)\nprint(server)"
    killed = run(kill, session, cache)
    assert killed.status == Status.OK, killed
    after = run(FIND_SERVER + "print(server)", session, cache)
    assert after.status == Status.OK, after
    assert after.stdout != killed.stdout  # a new fork server


def test_a_test_that_stops_the_server_does_not_stall_the_next(
    session: Sandbox, cache: CompileCache
) -> None:
    assert run(FIND_SERVER + "os.kill(server, 19)", session, cache).status == Status.OK
    after = run("print('not stalled')", session, cache)
    assert (after.status, after.stdout) == (Status.OK, b"not stalled\n"), after


def test_a_test_cannot_lower_the_limits_or_priority_of_the_next(
    session: Sandbox, cache: CompileCache
) -> None:
    lower = FIND_SERVER + """
import resource
resource.prlimit(server, resource.RLIMIT_NOFILE, (10, 10))
os.setpriority(os.PRIO_PROCESS, server, 19)
"""
    look = """
import os, resource
print(resource.getrlimit(resource.RLIMIT_NOFILE), os.getpriority(os.PRIO_PROCESS, 0))
"""
    assert run(lower, session, cache).status == Status.OK
    assert run(look, session, cache).stdout == b"(64, 64) 0\n"


def test_a_test_cannot_reach_into_the_server(session: Sandbox, cache: CompileCache) -> None:
    reach = FIND_SERVER + """
for name in ("mem", "environ", "fd/3"):
    try:
        open(f"/proc/{server}/{name}", "rb").read(1)
        print(name, "open")
    except OSError as error:
        print(name, type(error).__name__)
"""
    result = run(reach, session, cache)
    assert result.stdout == b"mem PermissionError\nenviron PermissionError\nfd/3 PermissionError\n"


def test_a_test_sees_the_processes_of_a_fresh_run(session: Sandbox, cache: CompileCache) -> None:
    leave = "import os, time\nif os.fork() == 0:\n    time.sleep(100)"
    look = "import os\nprint(os.getppid(), len([p for p in os.listdir('/proc') if p.isdigit()]))"
    assert run(leave, session, cache).status == Status.OK
    # The init (our parent, pid 1), the fork server and us: the earlier child is gone.
    assert run(look, session, cache).stdout == b"1 3\n"
