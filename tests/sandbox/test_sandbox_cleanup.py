"""Nothing of a run survives it: processes, cgroups, workspace.

`Runner` asserts after every run that no process, cgroup or mount of the run
is left on the host; these programs try hardest to leave something.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sandbox_support import (
    HOST_ID,
    HostProcess,
    Runner,
    c_program,
    host_processes,
    run_cgroups,
)

from sandbox import (
    Bind,
    Limits,
    RunRequest,
    RunResult,
    Sandbox,
    SandboxConfig,
    SandboxError,
    Status,
    system_binds,
)

# The grandchild tells the program it is ready, then the program exits at once.
DETACHED = """
    int ready[2];
    pipe(ready);
    if (fork() == 0) {{
        setsid();
        if (fork() == 0) {{
            signal(SIGTERM, SIG_IGN);
            signal(SIGHUP, SIG_IGN);
            write(ready[1], "r", 1);
            {then}
        }}
        _exit(0);
    }}
    char c;
    read(ready[0], &c, 1);
    puts("parent done");
    return 0;
"""
BACKGROUND = {
    "sleeping": "for (;;) sleep(1000);",
    "spinning": "for (volatile int i = 0;; i++);",
    "stopped": "raise(SIGSTOP);",
    "writing to stdout": 'for (;;) { puts("still here"); fflush(stdout); usleep(1000); }',
    "forking": "for (;;) if (fork() == 0) pause();",
}


@pytest.mark.parametrize("then", BACKGROUND.values(), ids=BACKGROUND.keys())
def test_double_forked_process_is_gone_after_the_run(runner: Runner, then: str) -> None:
    result = runner.c(c_program(DETACHED.format(then=then)))
    assert result.status == Status.OK, result
    assert b"parent done" in result.stdout


def test_python_daemon_is_gone_after_the_run(runner: Runner) -> None:
    code = """
import os, signal, time
read, write = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.write(write, b"r")
        time.sleep(1000)
    os._exit(0)
os.read(read, 1)
"""
    result = runner.python(code)
    assert result.status == Status.OK, result


def test_workspace_and_tmp_do_not_outlive_a_run(runner: Runner) -> None:
    code = "import os, sys\nprint(sorted(os.listdir('/box')), sorted(os.listdir('/tmp')))"
    write = "open('/box/left', 'w').write('x')\nopen('/tmp/left', 'w').write('x')"
    assert runner.python(write).status == Status.OK
    assert runner.python(code).stdout == b"[] []\n"


def test_nothing_is_left_after_a_failed_run(runner: Runner) -> None:
    result = runner.run(["/box/does-not-exist"])
    assert result.status == Status.IE, result
    assert "does-not-exist" in result.message
    assert runner.python("print('next')").stdout == b"next\n"


def test_closing_the_sandbox_ends_its_supervisor(build_dir: Path) -> None:
    box = Sandbox(SandboxConfig(host_id=HOST_ID))
    Runner(box, build_dir).python("print(1)")
    assert box._process is not None
    supervisor = box._process
    box.close()
    assert supervisor.poll() is not None
    remaining = [
        p for p in host_processes() if p.parent == supervisor.pid or p.pid == supervisor.pid
    ]
    assert not remaining
    assert not run_cgroups(supervisor.pid)


def _wait_for(condition: str, check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `check()`: a liveness wait, never an assertion about speed."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"still waiting for {condition}"
        time.sleep(0.01)


def _program_alive(path: bytes) -> bool:
    """Whether a process runs the program `path` (a sandbox path: /box/...)."""
    for process in host_processes():
        try:
            if Path(f"/proc/{process.pid}/cmdline").read_bytes().startswith(path + b"\0"):
                return True
        except OSError:  # gone meanwhile
            continue
    return False


def _orphaned_inits() -> list[HostProcess]:
    """Processes of this session's runs that lost their supervisor."""
    return [p for p in host_processes() if p.uids & {HOST_ID, HOST_ID + 1} and p.parent == 1]


def test_a_killed_supervisor_takes_its_run_along(build_dir: Path) -> None:
    """The run dies with its supervisor; the next supervisor removes the dead one's cgroups."""
    runner = Runner(Sandbox(SandboxConfig(host_id=HOST_ID)), build_dir)
    binary = runner.compile(c_program("sleep(30);"))  # gone by itself if the sandbox fails
    request = RunRequest(
        argv=["/box/prog"],
        binds=[*system_binds(), Bind(binary, "/box/prog")],
        limits=Limits(wall_time=60),
    )
    outcome: list[RunResult | SandboxError] = []

    def run() -> None:
        try:
            outcome.append(runner.box.run(request))
        except SandboxError as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        _wait_for("the program to start", lambda: _program_alive(b"/box/prog"))
        assert runner.box._process is not None
        supervisor = runner.box._process.pid
        os.kill(supervisor, signal.SIGKILL)
        thread.join(timeout=60)
        assert isinstance(outcome[0], SandboxError)
        _wait_for(
            "the run to end",
            lambda: not _program_alive(b"/box/prog") and not _orphaned_inits(),
        )
        assert runner.python("print('restarted')").stdout == b"restarted\n"
        assert not run_cgroups(supervisor)
    finally:
        runner.box.close()
        thread.join()
        _kill_orphaned_inits()


def _kill_orphaned_inits() -> None:
    """If the run outlived its supervisor, end it so that it cannot disturb other tests."""
    for process in _orphaned_inits():
        os.kill(process.pid, signal.SIGKILL)
