"""The sandbox run by an unprivileged user: user namespaces, rlimits instead of cgroups."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from sandbox import Limits, MiB, RunRequest, Sandbox, system_binds

limits = Limits(cpu_time=1, wall_time=3, memory=128 * MiB)
programs = {
    "identity": "import os; print(os.getuid(), os.getgid(), os.path.exists('/root'))",
    "spin": "while True: pass",
    "hog": "x = bytearray(512 << 20)",
}
results = {}
with Sandbox() as box:
    for name, code in programs.items():
        request = RunRequest(["/usr/bin/python3", "-c", code], binds=system_binds(), limits=limits)
        result = box.run(request)
        results[name] = [result.status, result.stdout.decode(), result.message]
json.dump(results, sys.stdout)
"""


def run_as_nobody() -> dict[str, list[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        user="nobody",
        group="nogroup",
        extra_groups=[],
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "memory limited by RLIMIT_AS" in completed.stderr  # the fallback is logged
    results: dict[str, list[str]] = json.loads(completed.stdout)
    return results


def test_an_unprivileged_user_gets_a_working_sandbox() -> None:
    assert Path(sys.executable).resolve().stat().st_mode & 0o005, "python must be usable by nobody"
    results = run_as_nobody()
    assert results["identity"][:2] == ["OK", "1000 1000 False\n"]
    assert results["spin"][0] == "TLE"
    assert "CPU time limit" in results["spin"][2]
    # Without a memory cgroup the address-space limit refuses the allocation:
    # the program fails with its own error (RE), it never gets the memory.
    assert results["hog"][0] == "RE"
