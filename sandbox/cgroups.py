"""Control groups: memory, pids and CPU accounting for each run of a sandbox, v1 or v2.

The hierarchy is found in /proc/self/mountinfo. Each sandbox gets its own
group under a parent (`judge` by default), created before its init and
removed after; each run of it restarts the counters (`start`) and reads them
(`usage`), so that a run is measured alone even when the sandbox serves
many. With no usable hierarchy (an unprivileged user), `find_hierarchy`
returns None and the sandbox falls back to rlimits.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from dataclasses import dataclass, field
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
    """One sandbox's group. Its init joins it at birth, writing "0" to each of
    `procs_files()`: moving a task into a group waits for an RCU grace period,
    which should not delay a request. `start` marks a run's beginning: the
    limits apply beyond what the sandbox holds then, counters restart."""

    def procs_files(self) -> list[str]: ...
    def start(self, memory: int, processes: int) -> None: ...
    def cpu_time(self) -> float: ...
    def usage(self) -> Usage: ...
    def directories(self) -> list[Path]: ...
    def close(self) -> None: ...


class Hierarchy(Protocol):
    version: int

    def create(self, name: str) -> RunCgroup: ...
    def remove_stale(self) -> None: ...


def _keyed(text: str) -> dict[str, int]:
    """A flat keyed file such as memory.events: `key value` lines."""
    pairs = (line.split() for line in text.splitlines())
    return {fields[0]: int(fields[1]) for fields in pairs if len(fields) == 2}


def remove_directory(path: Path, patience: float = 0.1) -> None:
    """Remove a group once empty, trying for `patience` seconds."""
    # The last task of a group may still be leaving it for a few milliseconds,
    # or longer while the kernel kills a whole sandbox.
    deadline = time.monotonic() + patience
    pause = 0.001
    while True:
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError as error:
            if error.errno != errno.EBUSY or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


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
    oom_baseline: int = 0  # OOM kills before the run (the count cannot be reset)
    limit: int | None = None  # the memory limit set last
    swap: bool | None = None  # whether memory.memsw files exist (known once started)
    files: dict[str, kernfs.Files] = field(init=False)

    def __post_init__(self) -> None:
        self.files = {name: kernfs.Files(path) for name, path in self.paths.items()}

    def procs_files(self) -> list[str]:
        return [str(path / "cgroup.procs") for path in self.paths.values()]

    def start(self, memory: int, processes: int) -> None:
        files = self.files["memory"]
        if self.swap is None:
            self.swap = (self.paths["memory"] / "memory.memsw.limit_in_bytes").exists()
        self.baseline = int(files.read("memory.usage_in_bytes"))
        self._set_limit(memory + self.baseline)
        files.write("memory.max_usage_in_bytes", "0")  # the peak restarts
        files.write("memory.failcnt", "0")
        self.oom_baseline = self._oom_kills()
        self.files["pids"].write("pids.max", str(processes))
        self.files["cpuacct"].write("cpuacct.usage", "0")

    def _set_limit(self, limit: int) -> None:
        """memory.limit_in_bytes, and memsw (memory + swap: no swapping past the limit).

        The kernel wants limit <= memsw at all times: raise memsw first, lower it last.
        """
        names = ["memory.limit_in_bytes", "memory.memsw.limit_in_bytes"][: 2 if self.swap else 1]
        if self.limit is not None and limit > self.limit:
            names.reverse()
        for name in names:
            self.files["memory"].write(name, str(limit))
        self.limit = limit

    def _oom_kills(self) -> int:
        return _keyed(self.files["memory"].read("memory.oom_control")).get("oom_kill", 0)

    def cpu_time(self) -> float:
        return int(self.files["cpuacct"].read("cpuacct.usage")) / 1e9

    def usage(self) -> Usage:
        files = self.files["memory"]
        peak = int(files.read("memory.max_usage_in_bytes"))
        return Usage(
            cpu_time=self.cpu_time(),
            memory_peak=max(0, peak - self.baseline),
            oom_kills=self._oom_kills() - self.oom_baseline,
            memory_limit_hit=int(files.read("memory.failcnt")) > 0,
        )

    def directories(self) -> list[Path]:
        return list(self.paths.values())

    def close(self) -> None:
        for files in self.files.values():
            files.close()


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
    events_baseline: dict[str, int] = field(default_factory=dict)  # memory.events before
    peak_fd: int | None = None  # memory.peak, reset through this descriptor (Linux 6.12+)
    peak_resettable: bool = True  # until the kernel says otherwise
    files: kernfs.Files = field(init=False)

    def __post_init__(self) -> None:
        self.files = kernfs.Files(self.path)

    def procs_files(self) -> list[str]:
        return [str(self.path / "cgroup.procs")]

    def start(self, memory: int, processes: int) -> None:
        self.baseline = int(self.files.read("memory.current"))
        self.files.write("memory.max", str(memory + self.baseline))
        self.files.write("pids.max", str(processes))
        self.cpu_baseline = self._cpu_total()
        self.events_baseline = _keyed(self.files.read("memory.events"))
        self._reset_peak()

    def _reset_peak(self) -> None:
        """Restart memory.peak for reads through our descriptor, where the kernel can."""
        if self.peak_fd is None and self.peak_resettable:
            try:
                self.peak_fd = os.open(self.path / "memory.peak", os.O_RDWR | os.O_CLOEXEC)
            except OSError:  # before Linux 5.19, or not writable before 6.12
                self.peak_resettable = False
        if self.peak_fd is not None:
            os.write(self.peak_fd, b"reset")

    def _cpu_total(self) -> float:
        return _keyed(self.files.read("cpu.stat"))["usage_usec"] / 1e6

    def cpu_time(self) -> float:
        return self._cpu_total() - self.cpu_baseline

    def usage(self) -> Usage:
        events = _keyed(self.files.read("memory.events"))
        return Usage(
            cpu_time=self.cpu_time(),
            memory_peak=max(0, self._peak() - self.baseline),
            oom_kills=events.get("oom_kill", 0) - self.events_baseline.get("oom_kill", 0),
            memory_limit_hit=events.get("max", 0) > self.events_baseline.get("max", 0),
        )

    def _peak(self) -> int:
        """The peak since the run started; before Linux 6.12, since the group was created
        (the sandbox's own start-up is part of it, and its baseline comes off)."""
        if self.peak_fd is not None:
            return int(os.pread(self.peak_fd, 64, 0))
        has_peak = (self.path / "memory.peak").exists()  # Linux 5.19+
        return int(self.files.read("memory.peak" if has_peak else "memory.current"))

    def close(self) -> None:
        self.files.close()
        if self.peak_fd is not None:
            os.close(self.peak_fd)
            self.peak_fd = None

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
