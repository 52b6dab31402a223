"""Helpers of the sandbox tests: C programs, runs, and what a run may leave on the host."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox import Bind, Limits, MiB, RunRequest, RunResult, Sandbox, system_binds

# The host uid of our runs' init (the program's is the next one). Our own, so
# that concurrent test sessions, which use the default, never look like leftovers.
HOST_ID = 300_000 + 2 * (os.getpid() % 50_000)
RUN_UIDS = {HOST_ID, HOST_ID + 1}
# Short limits keep the suite fast; wall time well above CPU time, so that a
# CPU-bound program always reaches its CPU limit first.
FAST = Limits(cpu_time=0.5, wall_time=1.5, memory=64 * MiB)
CGROUP_ROOT = Path("/sys/fs/cgroup")

C_PRELUDE = """\
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Spins until this process has used `seconds` of CPU time. */
static void burn_cpu(double seconds) {
    struct timespec now;
    do {
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    } while (now.tv_sec + now.tv_nsec / 1e9 < seconds);
}

/* Writes and touches `size` bytes of fresh heap; returns it. */
static char *touch_heap(size_t size) {
    char *memory = malloc(size);
    if (memory == NULL) exit(3);
    memset(memory, 1, size);
    return memory;
}
"""


def c_program(body: str, before: str = "") -> str:
    """A C program: the prelude's headers and helpers, `before`, then main's `body`."""
    return f"{C_PRELUDE}\n{before}\nint main(int argc, char **argv) {{\n{body}\n}}\n"


@dataclass(frozen=True)
class HostProcess:
    pid: int
    parent: int
    uids: frozenset[int]  # real, effective, saved, fs
    namespace_pid: int  # its pid in its own pid namespace


def host_processes() -> list[HostProcess]:
    """The host's live processes (a zombie is dead already: it only waits to be reaped)."""
    processes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # it exited meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields["State"].split()[0] == "Z":
            continue
        uids = frozenset(int(uid) for uid in fields["Uid"].split())
        namespace_pid = int(fields["NSpid"].split()[-1])
        processes.append(HostProcess(int(entry.name), int(fields["PPid"]), uids, namespace_pid))
    return processes


def _is_supervisor(pid: int) -> bool:
    try:
        return b"sandbox.supervisor" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def spare_inits(processes: list[HostProcess]) -> set[int]:
    """The inits supervisors start ahead of their next requests, and their zygotes.

    An init is a supervisor's child, pid 1 of its own namespace; once a run
    has returned, the inits still alive are spares. A spare may have one
    child: the warm program it started ahead (sandbox/zygote.py).
    """
    inits = {
        process.pid
        for process in processes
        if process.namespace_pid == 1 and _is_supervisor(process.parent)
    }
    return inits | {process.pid for process in processes if process.parent in inits}


def run_cgroups(supervisor_pid: int) -> list[Path]:
    """The run cgroups of one supervisor that exist now, in any hierarchy (v1 or v2)."""
    pattern = f"judge/run-{supervisor_pid}-*"
    return sorted([*CGROUP_ROOT.glob(pattern), *CGROUP_ROOT.glob(f"*/{pattern}")])


def host_mount_points() -> set[str]:
    with open("/proc/self/mountinfo") as mountinfo:
        return {line.split()[4] for line in mountinfo}


MOUNTS_BEFORE = host_mount_points()


def _cgroup_leftovers(supervisor: int, spares: set[int]) -> list[str]:
    """Run cgroups that outlived their run: any but the spares' own.

    A finished run's group is empty and removed in the background (see
    sandbox/cleaner.py): it counts until it is gone.
    """
    found = []
    for group in run_cgroups(supervisor):
        members = _members(group)
        if not members or not members <= spares:
            found.append(f"cgroup {group} with processes {sorted(members)}")
    return found


def _members(group: Path) -> set[int]:
    try:
        return {int(pid) for pid in (group / "cgroup.procs").read_text().split()}
    except OSError:  # being removed (ENODEV) or gone (ENOENT) meanwhile
        return set()


def leftovers(box: Sandbox, ignore: Collection[int] = ()) -> list[str]:
    """What the runs of `box` left on the host: processes, cgroups, mounts.

    The spare inits a supervisor starts ahead of its next requests (and their
    cgroups and zygotes) are not left by a run.
    """
    assert box._process is not None, "the sandbox has no supervisor: nothing was run"
    supervisor = box._process.pid
    processes = host_processes()
    spares = spare_inits(processes)
    found = [
        f"process {process.pid} with uids {sorted(process.uids)}"
        for process in processes
        if process.uids & RUN_UIDS and process.pid not in {*ignore, *spares}
    ]
    found += _cgroup_leftovers(supervisor, spares)
    found += [f"mount {point}" for point in sorted(host_mount_points() - MOUNTS_BEFORE)]
    return found


CGROUP_REMOVAL = 5.0  # seconds the background removal of an empty cgroup may take


def assert_host_clean(box: Sandbox, ignore: Collection[int] = ()) -> None:
    """No process of a run survives it; its empty cgroup goes soon after."""
    remaining = leftovers(box, ignore)
    assert not [item for item in remaining if not item.startswith("cgroup ")], remaining
    deadline = time.monotonic() + CGROUP_REMOVAL
    while remaining and time.monotonic() < deadline:
        time.sleep(0.01)
        remaining = leftovers(box, ignore)
    assert not remaining, f"the run left behind: {remaining}"


@dataclass
class Runner:
    """Runs C and Python programs in one sandbox, checking the host after every run."""

    box: Sandbox
    build_dir: Path

    def compile(self, source: str) -> Path:
        """The binary of a C source, compiled once on the host with gcc."""
        name = hashlib.sha256(source.encode()).hexdigest()[:16]
        binary = self.build_dir / name
        if not binary.exists():
            source_file = self.build_dir / f"{name}.c"
            source_file.write_text(source)
            command = ["gcc", "-O0", "-w", "-pthread", "-o", str(binary), str(source_file)]
            built = subprocess.run(command, capture_output=True, text=True, check=False)
            assert built.returncode == 0, f"gcc failed:\n{built.stderr}"
        return binary

    def c(self, source: str, *args: str, binds: Sequence[Bind] = (), **options: Any) -> RunResult:
        """Run a C program (see c_program) as /box/prog."""
        binary = Bind(self.compile(source), "/box/prog")
        return self.run(["/box/prog", *args], binds=[binary, *binds], **options)

    def python(self, code: str, *args: str, **options: Any) -> RunResult:
        return self.run(["/usr/bin/python3", "-c", code, *args], **options)

    def run(
        self,
        argv: Sequence[str],
        binds: Sequence[Bind] = (),
        limits: Limits = FAST,
        ignore: Collection[int] = (),
        **options: Any,
    ) -> RunResult:
        """Run `argv`, then check the host (`ignore`: host pids the test started itself)."""
        request = RunRequest(argv=argv, binds=[*system_binds(), *binds], limits=limits, **options)
        result = self.box.run(request)
        assert_host_clean(self.box, ignore)
        return result


def output(result: RunResult) -> str:
    """Both streams of a run, for assertions about what leaked."""
    return (result.stdout + result.stderr).decode(errors="replace")
