"""The warm Python interpreter (a fork server per submission) behaves as `python3 solution.py`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from languages import CompileCache, Program, build, get_language
from sandbox import Limits, RunResult, Sandbox, Status

PROGRAMS = {
    "echo": "print(input()[::-1])",
    "argv and file": "import sys\nprint(sys.argv, __name__, __file__)",
    "sys.path": "import sys\nprint(sys.path[0])",
    "exit code": "import sys\nsys.exit(3)",
    "exit message": "import sys\nsys.exit('bye')",
    "exception": "def f():\n    return 1 / 0\nf()",
    "atexit": "import atexit\natexit.register(print, 'atexit ran')\nprint('main')",
    "thread": (
        "import threading, time\n"
        "def late():\n    time.sleep(0.05)\n    print('thread done')\n"
        "threading.Thread(target=late).start()\nprint('main done')"
    ),
    "unflushed output": "import sys\nsys.stdout.write('no newline')",
    "imports its own module": "import solution_helper\nprint(solution_helper.VALUE)",
    "environment": "import os\nprint(sorted(os.environ))",
    "pickle from __main__": (
        "import pickle\nclass Point:\n    pass\n"
        "print(type(pickle.loads(pickle.dumps(Point()))).__name__)"
    ),
}
HELPER = {"solution_helper.py": b"VALUE = 42\n"}


def program(source: str, box: Sandbox, cache: CompileCache, warm: bool) -> Program:
    built = build(get_language("python"), source.encode(), box, cache)
    assert built.program is not None, built
    assert bool(built.program.fork_server) == warm
    return built.program


def run(program: Program, box: Sandbox) -> RunResult:
    request = program.request(b"hello\n", Limits(cpu_time=2, wall_time=5))
    return box.run(replace(request, files={**request.files, **HELPER}))


@pytest.mark.parametrize("name", PROGRAMS)
def test_warm_and_cold_runs_agree(
    name: str, box: Sandbox, cache: CompileCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = PROGRAMS[name]
    warm_program = program(source, box, cache, warm=True)
    with box.session():  # a fork server that forked runs before forks this one
        warm = [run(warm_program, box) for _ in range(2)][-1]
    monkeypatch.setenv("JUDGE_PYTHON_WARM", "0")
    cold = run(program(source, box, cache, warm=False), box)
    assert warm.status == cold.status
    assert (warm.exit_code, warm.signal) == (cold.exit_code, cold.signal)
    assert warm.stdout == cold.stdout
    assert warm.stderr == cold.stderr


def test_a_warm_run_is_limited_as_a_cold_one(box: Sandbox, cache: CompileCache) -> None:
    spin = program("while True:\n    pass", box, cache, warm=True)
    assert spin.run(box, b"", Limits(cpu_time=0.5, wall_time=2)).status == Status.TLE
    hog_source = "blocks = []\nwhile True:\n    blocks.append(bytearray(1 << 20))"
    hog = program(hog_source, box, cache, warm=True)
    result = hog.run(box, b"", Limits(cpu_time=2, wall_time=5, memory=64 * 2**20))
    assert result.status == Status.MLE
    assert result.memory >= 40 * 2**20  # the program's own allocations, beyond the interpreter


def test_consecutive_warm_runs_share_nothing(box: Sandbox, cache: CompileCache) -> None:
    """Each run is a fork of the server: nothing a run did is seen by the next."""
    writer = program("import sys\nsys.modules['marker'] = sys", box, cache, warm=True)
    probe = program("import sys\nprint('marker' in sys.modules)", box, cache, warm=True)
    with box.session():
        first = writer.run(box, b"", Limits())
        assert first.status == Status.OK
        assert probe.run(box, b"", Limits()).stdout == b"False\n"
