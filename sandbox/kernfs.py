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
