"""Control groups: memory, pids and CPU accounting for one run, v1 or v2.

The hierarchy is found in /proc/self/mountinfo. Each run gets its own group
under a parent (`judge` by default), created before the run and removed after.
With no usable hierarchy (an unprivileged user), `find_hierarchy` returns
None and the sandbox falls back to rlimits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sandbox import kernfs

V1_CONTROLLERS = ("memory", "pids", "cpuacct")
V2_CONTROLLERS = ("memory", "pids", "cpu")


class CgroupError(Exception):
    """The hierarchy cannot be used as configured."""


@dataclass(frozen=True)
class Usage:
    cpu_time: float  # seconds
    memory_peak: int  # bytes
    oom_kills: int
    memory_limit_hit: bool  # usage reached the limit at least once


class RunCgroup(Protocol):
    """One run's group. Its init joins it at birth, writing "0" to each of
    `procs_files()`: moving a task into a group waits for an RCU grace period,
    which should not delay a request. `start` marks the run's beginning: the
    limits apply beyond what the sandbox holds then, counters restart."""

    def procs_files(self) -> list[str]: ...
    def start(self, memory: int, processes: int) -> None: ...
    def cpu_time(self) -> float: ...
    def usage(self) -> Usage: ...
    def directories(self) -> list[Path]: ...


class Hierarchy(Protocol):
    version: int

    def create(self, name: str) -> RunCgroup: ...
    def remove_stale(self) -> None: ...


def _keyed(path: Path) -> dict[str, int]:
    """A flat keyed file such as memory.events: `key value` lines."""
    pairs = (line.split() for line in kernfs.read(path).splitlines())
    return {fields[0]: int(fields[1]) for fields in pairs if len(fields) == 2}


def remove_directory(path: Path) -> None:
    """Remove an empty group (it may take a few tries)."""
    # The last task of a group may still be leaving it for a few milliseconds.
    for _ in range(100):
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError as error:
            if error.errno != errno.EBUSY:
                raise
            time.sleep(0.001)
    os.rmdir(path)


def _owner_alive(name: str) -> bool:
    """Whether the supervisor that named a group `run-PID-N` still runs."""
    try:
        os.kill(int(name.split("-")[1]), 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path) -> None:
    """Remove the run groups that supervisors which died left behind."""
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.name.startswith("run-") and not _owner_alive(entry.name):
            with contextlib.suppress(OSError):  # still busy: the next supervisor retries
                remove_directory(entry)


@dataclass
class V1Group:
    paths: dict[str, Path]
    baseline: int = 0  # bytes the sandbox held when the run started

    def procs_files(self) -> list[str]:
        return [str(path / "cgroup.procs") for path in self.paths.values()]

    def start(self, memory: int, processes: int) -> None:
        memory_dir = self.paths["memory"]
        self.baseline = int(kernfs.read(memory_dir / "memory.usage_in_bytes"))
        limit = str(memory + self.baseline)
        kernfs.write(memory_dir / "memory.limit_in_bytes", limit)
        if (memory_dir / "memory.memsw.limit_in_bytes").exists():
            # memory + swap: no swapping past the limit
            kernfs.write(memory_dir / "memory.memsw.limit_in_bytes", limit)
        kernfs.write(memory_dir / "memory.max_usage_in_bytes", "0")  # the peak restarts
        kernfs.write(self.paths["pids"] / "pids.max", str(processes))
        kernfs.write(self.paths["cpuacct"] / "cpuacct.usage", "0")

    def cpu_time(self) -> float:
        return int(kernfs.read(self.paths["cpuacct"] / "cpuacct.usage")) / 1e9

    def usage(self) -> Usage:
        memory = self.paths["memory"]
        peak = int(kernfs.read(memory / "memory.max_usage_in_bytes"))
        return Usage(
            cpu_time=self.cpu_time(),
            memory_peak=max(0, peak - self.baseline),
            oom_kills=_keyed(memory / "memory.oom_control").get("oom_kill", 0),
            memory_limit_hit=int(kernfs.read(memory / "memory.failcnt")) > 0,
        )

    def directories(self) -> list[Path]:
        return list(self.paths.values())


@dataclass
class V1Hierarchy:
    """cgroup v1: one mount per controller (memory, pids, cpuacct)."""

    parents: dict[str, Path]
    version: int = 1

    def create(self, name: str) -> V1Group:
        group = V1Group({controller: parent / name for controller, parent in self.parents.items()})
        for path in group.paths.values():
            path.mkdir()
        return group

    def remove_stale(self) -> None:
        for parent in self.parents.values():
            remove_stale(parent)


@dataclass
class V2Group:
    path: Path
    baseline: int = 0  # bytes the sandbox held when the run started
    cpu_baseline: float = 0.0  # seconds it had used (cpu.stat cannot be reset)

    def procs_files(self) -> list[str]:
        return [str(self.path / "cgroup.procs")]

    def start(self, memory: int, processes: int) -> None:
        self.baseline = int(kernfs.read(self.path / "memory.current"))
        kernfs.write(self.path / "memory.max", str(memory + self.baseline))
        kernfs.write(self.path / "pids.max", str(processes))
        self.cpu_baseline = self._cpu_total()

    def _cpu_total(self) -> float:
        return _keyed(self.path / "cpu.stat")["usage_usec"] / 1e6

    def cpu_time(self) -> float:
        return self._cpu_total() - self.cpu_baseline

    def usage(self) -> Usage:
        events = _keyed(self.path / "memory.events")
        # memory.peak (Linux 5.19+) counts from the group's creation: the
        # sandbox's own start-up is part of it, and its baseline comes off.
        peak_file = self.path / "memory.peak"
        peak = peak_file if peak_file.exists() else self.path / "memory.current"
        return Usage(
            cpu_time=self.cpu_time(),
            memory_peak=max(0, int(kernfs.read(peak)) - self.baseline),
            oom_kills=events.get("oom_kill", 0),
            memory_limit_hit=events.get("max", 0) > 0,
        )

    def directories(self) -> list[Path]:
        return [self.path]


@dataclass
class V2Hierarchy:
    """cgroup v2: one unified tree; controllers enabled down to the parent."""

    parent: Path
    version: int = 2

    def create(self, name: str) -> V2Group:
        group = V2Group(self.parent / name)
        group.path.mkdir()
        if (group.path / "memory.swap.max").exists():
            kernfs.write(group.path / "memory.swap.max", "0")
        return group

    def remove_stale(self) -> None:
        remove_stale(self.parent)


@dataclass(frozen=True)
class Mount:
    path: Path
    fstype: str
    options: frozenset[str]


def _mounts(mountinfo: str) -> list[Mount]:
    mounts = []
    for line in mountinfo.splitlines():
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) >= 5 and len(tail) >= 3:
            options = frozenset(tail[2].split(","))
            mounts.append(Mount(Path(fields[4].replace("\\040", " ")), tail[0], options))
    return mounts


def _v2_hierarchy(root: Path, parent: str) -> V2Hierarchy:
    available = set(kernfs.read(root / "cgroup.controllers").split())
    missing = set(V2_CONTROLLERS) - available
    if missing:
        raise CgroupError(f"cgroup v2 at {root} lacks the {', '.join(sorted(missing))} controllers")
    enable = " ".join(f"+{controller}" for controller in V2_CONTROLLERS)
    path = root
    for part in Path(parent).parts:
        kernfs.write(path / "cgroup.subtree_control", enable)
        path = path / part
        path.mkdir(exist_ok=True)
    kernfs.write(path / "cgroup.subtree_control", enable)
    return V2Hierarchy(path)


def find_hierarchy(parent: str = "judge", mountinfo: str | None = None) -> Hierarchy | None:
    """The usable hierarchy, its parent group created; None if there is none.

    Raises CgroupError when a hierarchy exists but cannot be used (say why).
    """
    if os.geteuid() != 0:
        return None
    if mountinfo is None:
        mountinfo = Path("/proc/self/mountinfo").read_text()  # may well pass 64 KiB
    mounts = _mounts(mountinfo)
    for mount in mounts:
        if mount.fstype != "cgroup2":
            continue
        if "memory" in kernfs.read(mount.path / "cgroup.controllers").split():
            try:
                return _v2_hierarchy(mount.path, parent)
            except OSError as error:
                raise CgroupError(f"cannot set up cgroup v2 under {mount.path}: {error}") from error
    v1 = {
        controller: mount.path
        for mount in mounts
        if mount.fstype == "cgroup"
        for controller in V1_CONTROLLERS
        if controller in mount.options
    }
    if set(v1) == set(V1_CONTROLLERS):
        parents = {controller: path / parent for controller, path in v1.items()}
        try:
            for path in parents.values():
                path.mkdir(exist_ok=True)
        except OSError as error:
            raise CgroupError(f"cannot create the cgroup v1 parent {parent}: {error}") from error
        return V1Hierarchy(parents)
    return None
