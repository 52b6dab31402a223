"""A session: the runs of one submission share a sandbox, and no run sees or alters what an
earlier one did (files, processes, IPC, the init's attributes); each is measured alone."""

from __future__ import annotations

import ast
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_support import FAST, Runner, c_program, host_processes

from languages.python import WARM_SCRIPT
from sandbox import Bind, Limits, MiB, RunRequest, RunResult, Sandbox, Status, system_binds

ROOMY = Limits(cpu_time=3, wall_time=10, memory=256 * MiB)


def inits_of(box: Sandbox) -> set[int]:
    """The host pids of the supervisor's inits now (spares and session sandboxes)."""
    assert box._process is not None
    supervisor = box._process.pid
    return {p.pid for p in host_processes() if p.parent == supervisor and p.namespace_pid == 1}


@pytest.fixture
def session(runner: Runner) -> Iterator[Runner]:
    """The runner, its runs in one session (the host is checked after each run)."""
    with runner.box.session():
        yield runner


def used_zygotes(marker: str) -> list[int]:
    """The host's zygotes that hold `marker` and were started after a run of their sandbox.

    A spare's zygote is pid 2 of its namespace; after a run, the next zygote
    of a session's sandbox comes later.
    """
    found = []
    for process in host_processes():
        try:
            command = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        except OSError:  # gone meanwhile
            continue
        if marker.encode() in command and process.namespace_pid > 2:
            found.append(process.pid)
    return found


LOOK = """
import os, stat
for top in ("/box", "/tmp"):
    info = os.lstat(top)
    print(top, oct(stat.S_IMODE(info.st_mode)), sorted(os.listdir(top)), os.listxattr(top))
print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
"""

LEAVE_FILES = """
import os
os.makedirs("/box/deep/er")
open("/box/deep/er/file", "w").write("x")
os.chmod("/box/deep/er", 0)
os.chmod("/box/deep", 0o500)
os.symlink("/etc/passwd", "/box/link")
os.mkfifo("/tmp/fifo")
open("/tmp/.hidden", "w").write("x")
os.chmod("/box", 0o700)
"""


def pristine(result: RunResult) -> list[str]:
    """The lines of LOOK, once checked that /box and /tmp are as new."""
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "/box 0o755 [] []", lines
    assert lines[1] == "/tmp 0o1777 [] []", lines
    return lines


def test_runs_share_the_sandbox(session: Runner) -> None:
    first = session.python("import os; print(os.getpid())")
    inits = inits_of(session.box)
    second = session.python("import os; print(os.getpid())")
    assert (first.status, second.status) == (Status.OK, Status.OK)
    assert int(second.stdout) > int(first.stdout)  # the same pid namespace, later
    assert inits_of(session.box) == inits  # no sandbox was started for the second run


def test_files_left_by_a_run_are_gone(session: Runner) -> None:
    assert session.python(LEAVE_FILES).status == Status.OK
    pristine(session.python(LOOK))


def test_deeply_nested_directories_are_gone(session: Runner) -> None:
    nest = "import os\nos.chdir('/tmp')\nfor _ in range(3000):\n    os.mkdir('d'), os.chdir('d')"
    assert session.python(nest).status == Status.OK  # deeper than the init's recursion limit
    pristine(session.python(LOOK))


def test_processes_left_by_a_run_are_gone(session: Runner) -> None:
    body = """
    if (fork() == 0) { setsid(); if (fork() == 0) { for (;;) pause(); } _exit(0); }
    if (fork() == 0) raise(SIGSTOP);
    usleep(100000);
    return 0;
    """
    assert session.c(c_program(body)).status == Status.OK
    lines = pristine(session.python(LOOK))
    assert len(ast.literal_eval(lines[2])) == 2  # the init and this run: nothing else


IPC = """
    int shm = shmget(0x1234, 4096, IPC_CREAT | IPC_EXCL | 0600);
    int msg = msgget(0x1234, IPC_CREAT | IPC_EXCL | 0600);
    int sem = semget(0x1234, 1, IPC_CREAT | IPC_EXCL | 0600);
    printf("%d %d %d\\n", shm >= 0, msg >= 0, sem >= 0);
    return 0;
"""


def test_ipc_objects_of_a_run_are_gone(session: Runner) -> None:
    headers = "\n".join(f"#include <sys/{name}.h>" for name in ("ipc", "msg", "sem", "shm"))
    for _ in range(2):  # each could only create them if the earlier ones were removed
        result = session.c(c_program(IPC, headers))
        assert (result.status, result.stdout) == (Status.OK, b"1 1 1\n"), result


ALTER_INIT = """
import os, resource
resource.prlimit(1, resource.RLIMIT_NOFILE, (8, 8))
os.setpriority(os.PRIO_PROCESS, 1, 19)
os.sched_setaffinity(1, {min(os.sched_getaffinity(0))})
"""
SHOW_LIMITS = """
import os, resource
print(resource.getrlimit(resource.RLIMIT_NOFILE), os.getpriority(os.PRIO_PROCESS, 0),
      len(os.sched_getaffinity(0)) == os.cpu_count())
"""


def test_a_run_cannot_alter_the_init_for_the_next_one(session: Runner) -> None:
    limits = Limits(cpu_time=1, wall_time=3, open_files=64)
    assert session.python(ALTER_INIT, limits=limits).status == Status.OK
    result = session.python(SHOW_LIMITS, limits=limits)
    assert result.stdout == b"(64, 64) 0 True\n", result


def test_the_environment_is_each_run_s_own(session: Runner) -> None:
    show = c_program("for (char **variable = environ; *variable; variable++) puts(*variable);")
    assert session.c(show, env={"A": "1"}).stdout == b"A=1\n"
    assert session.c(show, env={"B": "2"}).stdout == b"B=2\n"


def test_each_run_is_measured_alone(session: Runner) -> None:
    heavy_body = "touch_heap(120UL << 20);\nburn_cpu(0.3);\nreturn 0;"
    heavy = session.c(c_program(heavy_body), limits=ROOMY)
    light = session.c(c_program('puts("hello");\nreturn 0;'), limits=ROOMY)
    assert heavy.status == light.status == Status.OK
    assert heavy.memory >= 120 * MiB and heavy.cpu_time >= 0.3
    assert light.memory < 16 * MiB and light.cpu_time < 0.3


def test_runs_after_limits_are_judged_afresh(session: Runner) -> None:
    spin = session.c(c_program("for (volatile int i = 0;; i++);"))
    assert spin.status == Status.TLE, spin
    hog = session.c(c_program("for (;;) touch_heap(1 << 20);"))
    assert hog.status == Status.MLE, hog
    flood = session.c(c_program("for (;;) puts(\"flood\");"))
    assert flood.status == Status.OLE, flood
    after = session.c(c_program('puts("fine");\nreturn 0;'))
    assert (after.status, after.stdout) == (Status.OK, b"fine\n"), after
    assert after.memory < FAST.memory / 2


def test_a_request_with_higher_limits_gets_a_sandbox_of_its_own(session: Runner) -> None:
    low = Limits(cpu_time=1, wall_time=3, open_files=40)
    high = Limits(cpu_time=1, wall_time=3, open_files=80)
    show = "import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])"
    assert session.python(show, limits=low).stdout == b"40\n"
    assert session.python(show, limits=high).stdout == b"80\n"  # rlimits are never raised
    assert session.python(show, limits=low).stdout == b"40\n"


def test_a_session_s_sandboxes_end_with_it(runner: Runner) -> None:
    """Its sandbox starts a zygote after each run: none may outlive the session."""
    marker = f"session-{secrets.token_hex(8)}"  # on the zygotes' command line
    request = RunRequest(
        argv=["/usr/bin/python3", "-c", "pass"],
        zygote=["/usr/bin/python3", "-B", "/opt/judge/python_warm.py", marker],
        binds=[*system_binds(), Bind(WARM_SCRIPT, "/opt/judge/python_warm.py")],
    )
    deadline = time.monotonic() + 10  # liveness waits, never timing assertions
    with runner.box.session():
        for _ in range(2):
            assert runner.box.run(request).status == Status.OK
        # The init starts the next run's zygote after it answers: on a busy host, a moment later.
        while not used_zygotes(marker):
            assert time.monotonic() < deadline, "the session's sandbox started no next zygote"
            time.sleep(0.01)
    runner.python("pass")  # a run outside the session, the host checked clean after it
    deadline = time.monotonic() + 10
    while remaining := used_zygotes(marker):
        assert time.monotonic() < deadline, f"the session's sandbox outlived it: {remaining}"
        time.sleep(0.01)


def test_the_supervisor_outlives_its_sessions(runner: Runner) -> None:
    for _ in range(2):
        with runner.box.session():
            assert runner.python("print('in')").stdout == b"in\n"
    assert runner.python("print('out')").stdout == b"out\n"
