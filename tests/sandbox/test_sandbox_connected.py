"""Two runs at the same time, each in its own sandbox, connected by two pipes
(`Sandbox.run_connected`): what interactive problems are made of."""

from __future__ import annotations

import signal

from sandbox_support import FAST, Runner, assert_host_clean, c_program

from sandbox import Bind, Limits, RunRequest, RunResult, Status, system_binds

# The interactor: knows the secret, answers each guess; its stderr tells how it went.
INTERACTOR = """
import sys
secret = int(open("secret").read())
for count in range(1, 20):
    guess = int(input())
    if guess == secret:
        print("correct", flush=True)
        print(f"found in {count}", file=sys.stderr)
        sys.exit(0)
    print("higher" if guess < secret else "lower", flush=True)
sys.exit(1)
"""
GUESSER = """
low, high = 1, 1000
while True:
    guess = (low + high) // 2
    print(guess, flush=True)
    answer = input()
    if answer == "correct":
        break
    if answer == "higher":
        low = guess + 1
    else:
        high = guess - 1
"""
LIMITS = Limits(cpu_time=2, wall_time=5)


def python(code: str, limits: Limits = LIMITS, **fields: object) -> RunRequest:
    return RunRequest(
        argv=["/usr/bin/python3", "-c", code],
        binds=system_binds(),
        limits=limits,
        **fields,  # type: ignore[arg-type]
    )


def connected(runner: Runner, first: RunRequest, second: RunRequest) -> tuple[RunResult, ...]:
    results = runner.box.run_connected(first, second)
    assert_host_clean(runner.box)
    return results


def test_guess_the_number(runner: Runner) -> None:
    interactor = python(INTERACTOR, files={"secret": b"777\n"})
    guesser, judge = connected(runner, python(GUESSER), interactor)
    assert (guesser.status, judge.status) == (Status.OK, Status.OK), (guesser, judge)
    assert judge.stderr.startswith(b"found in ")
    assert guesser.stdout == judge.stdout == b""  # it went to the other run


def test_connected_runs_in_a_session(runner: Runner) -> None:
    with runner.box.session():
        for secret in (b"1\n", b"1000\n"):
            interactor = python(INTERACTOR, files={"secret": secret})
            guesser, judge = connected(runner, python(GUESSER), interactor)
            assert (guesser.status, judge.status) == (Status.OK, Status.OK), (guesser, judge)


def test_each_run_has_its_own_sandbox(runner: Runner) -> None:
    look = "import os; print(sorted(os.listdir('/box')), os.getpid(), flush=True); input()"
    answer = """
import os, sys
print(input(), sorted(os.listdir('/box')), os.getpid(), file=sys.stderr)
print('bye')
"""
    program = python(look, files={"private": b"only mine"})
    reader = python(answer, files={"theirs": b""})
    first, second = connected(runner, program, reader)
    assert (first.status, second.status) == (Status.OK, Status.OK), (first, second)
    # Each sees its own files only, and is pid 2 of a pid namespace of its own.
    assert second.stderr == b"['private'] 2 ['theirs'] 2\n"


def test_a_run_blocked_on_a_silent_pipe_reaches_its_wall_time(runner: Runner) -> None:
    waiting = python("input()", limits=FAST)
    silent = python("import sys; sys.stdin.read()")  # never writes, reads until the end
    blocked, reader = connected(runner, waiting, silent)
    assert blocked.status == Status.TLE and "wall" in blocked.message, blocked
    assert reader.status == Status.OK, reader  # its input ended with the other run


def test_a_writer_whose_reader_is_gone_gets_sigpipe(runner: Runner, build_dir: object) -> None:
    flood = c_program('for (;;) puts("more");')
    binary = Bind(runner.compile(flood), "/box/prog")
    writer = RunRequest(["/box/prog"], binds=[*system_binds(), binary], limits=LIMITS)
    quitter = python("pass")
    flooded, gone = connected(runner, writer, quitter)
    assert gone.status == Status.OK, gone
    assert (flooded.status, flooded.signal) == (Status.RE, signal.SIGPIPE), flooded


def test_each_run_is_measured_on_its_own(runner: Runner) -> None:
    burn = "import time\nwhile time.process_time() < 0.3:\n    pass\nprint('done', flush=True)"
    busy, idle = connected(runner, python(burn), python("input()"))
    assert (busy.status, idle.status) == (Status.OK, Status.OK), (busy, idle)
    assert busy.cpu_time >= 0.3
    assert idle.cpu_time < 0.3
