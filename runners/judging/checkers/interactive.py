"""`interactive`: the program talks with the exercise's interactor.py while it runs.

For each test, `python3 interactor.py input expected` (the test's .in and
.out, in the interactor's /box only) and the program run at the same time,
each in a sandbox of its own (`run_connected`): the program's stdout is the
interactor's stdin and the interactor's stdout the program's stdin. The
interactor runs like a custom checker (the judge's Python, the operator's
packages, a warm start), wrapped by RUN_INTERACTOR, and its exit code
decides: 0 AC, 1 WA, 7 partial with the fraction on the first line of its
stderr; the rest of its stderr is the message.

Who ended first matters. An interactor that says WA while the program is
still talking has the last word, whatever the program does next (dies of
SIGPIPE writing to it, reads an end of file and crashes, spins until its
time is up). But an interactor that says WA because the program's output
ended (it crashed, or stopped talking and was killed at its wall time) only
reports the program's failure, which the program's own status tells better.
RUN_INTERACTOR records the order: when the interactor ends, it asks the
kernel whether the program's end of the pipe is closed (POLLHUP on its
stdin) and leaves a file in its /box saying so.

Anything else from the interactor (another exit code, a crash other than
input() meeting the program's end, a limit, a bad fraction) is the judge's
failure: JudgeFailure, so IE, logged, judged again, never the student's fault.
"""

from __future__ import annotations

import signal
from dataclasses import replace
from fractions import Fraction

from languages import Runner, get_language
from runners.judging.checkers.base import Checker, Context
from runners.judging.checkers.custom import parse_fraction
from runners.judging.checkers.judgement import Judgement
from runners.judging.checkers.output import limits_for, run_message
from runners.judging.checkers.sandboxed import message, python, python_request
from runners.judging.exercise import Exercise, Test
from runners.judging.failure import FailingRunner, JudgeFailure
from runners.judging.verdict import Verdict
from sandbox import RunRequest, RunResult, Status

ACCEPTED, WRONG, PARTIAL = 0, 1, 7
CRASHED = 70  # set by RUN_INTERACTOR: Python's own exit code for a crash (1) means WA here
ENDED_FIRST = ".program-ended"  # left by RUN_INTERACTOR: the program had ended before it
# Seconds the interactor outlives the program's wall time, so that a program
# that stops talking is stopped first, and the interactor then sees its end.
WALL_MARGIN = 2.0
STOPPED = "Your program ended (or closed its output) before the interaction was over."
NO_REASON = "Wrong answer."
WAITED = (
    "Your program was mostly waiting: did it flush its output after each line?"
    " The interactor only sees what is flushed."
)
WROTE_TOO_LATE = "It wrote after the interactor had ended."

# Runs interactor.py as __main__: a crash told apart from `sys.exit(1)`, the
# program's end noted, stdout line-buffered (each line reaches the program at
# once: a forgotten flush cannot stall every test) and forgiving (what a
# program gone will not read is dropped, the interactor goes on and meets the
# end of its input), and input() meeting the program's end (EOFError) a WA
# rather than the interactor's crash.
RUN_INTERACTOR = f"""\
import io, os, runpy, select, sys, traceback

class Output(io.RawIOBase):
    def writable(self):
        return True

    def fileno(self):
        return 1

    def write(self, data):
        try:
            return os.write(1, data)
        except BrokenPipeError:
            return len(data)

def program_ended():
    poll = select.poll()
    poll.register(0, select.POLLIN)
    return any(events & select.POLLHUP for _, events in poll.poll(0))

def crashed():
    traceback.print_exc()
    return {CRASHED}

sys.argv = sys.argv[1:]
stdout = io.BufferedWriter(Output())
sys.stdout = io.TextIOWrapper(stdout, sys.stdout.encoding, sys.stdout.errors, line_buffering=True)
ended = False
try:
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    finally:
        ended = program_ended()
        if ended:
            open({ENDED_FIRST!r}, "w").close()
except SystemExit as stop:
    code = stop.code
except EOFError:
    if ended:
        sys.stderr.write({STOPPED + chr(10)!r})
        code = {WRONG}
    else:
        code = crashed()
except BaseException:
    code = crashed()
else:
    code = 0
sys.exit(code)
"""


class Interactive(Checker):
    def judge(self, context: Context, test: Test) -> tuple[Judgement, RunResult]:
        """Run the program and the interactor together on `test`, then decide."""
        exercise = context.exercise
        # Its stdin and stdout are the pipes: only stderr is bounded and kept.
        program_request = context.program.request(b"", limits_for(exercise, 0))
        runner = connecting(context.runner)
        program, interactor = runner.run_connected(
            program_request, interactor_request(exercise, test, program_request)
        )
        said = interpret(interactor, f"{exercise.slug}/{test.name}")
        if program.status is Status.OK or stands(said, program, interactor):
            return said, program
        return program_failed(program, test, exercise), program


def interactor_request(exercise: Exercise, test: Test, program: RunRequest) -> RunRequest:
    """interactor.py on the test's files, in a sandbox of its own.

    Its limits: `[checker] time` CPU seconds, the memory of a custom checker
    (the program's plus 256 MiB), and a wall time of 3 x its CPU time, or
    the program's plus WALL_MARGIN when that is more.
    """
    assert test.input is not None and test.output is not None
    files = {
        "interactor.py": exercise.interactor_path.read_bytes(),
        "input": test.input.read_bytes(),
        "expected": test.output.read_bytes(),
        "run_interactor.py": RUN_INTERACTOR.encode(),
    }
    request = python_request(
        exercise,
        [python(), "-B", "run_interactor.py", "interactor.py", "input", "expected"],
        files,
        zygote=get_language("python").warm_argv(),  # the same interpreter, started ahead
    )
    wall_time = max(request.limits.wall_time, program.limits.wall_time + WALL_MARGIN)
    limits = replace(request.limits, wall_time=wall_time)
    return replace(request, limits=limits, collect=[ENDED_FIRST])


def connecting(runner: Runner) -> FailingRunner:
    """`runner` able to run two programs together, failures raising JudgeFailure."""
    return runner if isinstance(runner, FailingRunner) else FailingRunner(runner)


def interpret(result: RunResult, where: str) -> Judgement:
    """What the interactor said; JudgeFailure when it said nothing valid."""
    code = (
        result.exit_code if result.status in (Status.OK, Status.RE) and not result.signal else None
    )
    if code == ACCEPTED:
        return Judgement.accepted(message(result.stderr))
    if code == WRONG:
        return Judgement.wrong(message(result.stderr) or NO_REASON)
    if code == PARTIAL:
        first, _, rest = result.stderr.partition(b"\n")
        fraction = parse_fraction(first)
        if fraction is None:
            why = f"exit 7 without a fraction in [0, 1] on its first line: {first[:80]!r}"
            raise broken(where, why)
        return Judgement.partial(fraction, message(rest))
    detail = result.message or f"exit code {result.exit_code}, signal {result.signal}"
    stderr = result.stderr.decode(errors="replace")[-2000:]
    raise broken(where, f"{result.status.value} ({detail}) {stderr}".strip())


def stands(said: Judgement, program: RunResult, interactor: RunResult) -> bool:
    """Whether the interactor's WA outranks the program's own failure.

    It does when the interactor decided while the program was still talking,
    and when the program died of the pipe the interactor closed.
    """
    if said.verdict is not Verdict.WA:
        return False
    return ENDED_FIRST not in interactor.files or program.signal == signal.SIGPIPE


def program_failed(run: RunResult, test: Test, exercise: Exercise) -> Judgement:
    """The program's own status (TLE, MLE, RE...), with the usual message and a hint."""
    why = run_message(run, test, exercise)
    if run.status is Status.TLE and run.cpu_time < exercise.limits.time:
        why += f" {WAITED}"
    elif run.signal == signal.SIGPIPE:
        why += f" {WROTE_TOO_LATE}"
    return Judgement(Verdict(run.status.value), Fraction(0), why)


def broken(where: str, why: str) -> JudgeFailure:
    return JudgeFailure(f"interactor of {where} failed: {why}")
