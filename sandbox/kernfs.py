"""The kernel's small text files (/proc, /sys/fs/cgroup): one system call each.

Buffered file objects may split or delay a write, which these files reject
or misread; a single os.write of the whole value is what they expect.
"""

from __future__ import annotations

import os
from pathlib import Path


def write(path: str | Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def read(path: str | Path) -> str:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 65536).decode()
    finally:
        os.close(fd)


class Files:
    """The kernel files of one directory, kept open: one system call per read or write.

    A cgroup's counters are read and written several times per run; opening
    and closing them each time would triple the cost. Each file is opened
    once for reading and once for writing, as needed (kernfs refuses a write
    descriptor on a read-only file).
    """

    def __init__(self, directory: Path | str) -> None:
        self.directory = str(directory)
        self._fds: dict[tuple[str, int], int] = {}

    def _fd(self, name: str, mode: int) -> int:
        fd = self._fds.get((name, mode))
        if fd is None:
            fd = os.open(f"{self.directory}/{name}", mode | os.O_CLOEXEC)
            self._fds[name, mode] = fd
        return fd

    def read(self, name: str) -> str:
        return os.pread(self._fd(name, os.O_RDONLY), 65536, 0).decode()

    def write(self, name: str, value: str) -> None:
        os.pwrite(self._fd(name, os.O_WRONLY), value.encode(), 0)

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()
