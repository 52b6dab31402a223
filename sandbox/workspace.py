"""Between two runs of one sandbox: /box, /tmp and System V IPC as they were before the first.

Every process of a run is dead when the init cleans up, so nothing moves
underneath: it removes everything the run left in the two tmpfs (never
following a link, never entering a bind mount, which belongs to the host),
gives /box back its mode (its times are those of the next run's files, as
in a new sandbox; extended attributes cannot be set: seccomp), and removes the
System V IPC objects of the sandbox's IPC namespace (POSIX message queues
cannot be created: RLIMIT_MSGQUEUE is 0). The next run's files are written
afterwards. What stays: tmpfs inode numbers and /tmp's times go on from
where the run left them, like the pid numbers of the namespace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Mapping

from sandbox import libc
from sandbox.request import WORKSPACE

TREES = (WORKSPACE, "/tmp")
IPC_TABLES = ("shm", "msg", "sem")  # /proc/sysvipc files, opened before /proc is narrowed
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def wipe(top: str, mode: int) -> None:
    """Give `top` its `mode` back, and remove what is under it but bind mounts (and the
    directories holding them)."""
    if stat.S_IMODE(os.lstat(top).st_mode) != mode:
        os.chmod(top, mode)  # the run's user owns /box: it may have locked us out
    fd = os.open(top, _DIRECTORY)
    try:
        _empty(fd, os.fstat(fd).st_dev)
    finally:
        os.close(fd)


def _empty(directory: int, device: int) -> None:
    with os.scandir(directory) as scan:
        entries = list(scan)
    for entry in entries:
        info = entry.stat(follow_symlinks=False)
        if info.st_dev != device:
            continue  # a bind mount: the host's, read-only
        if not stat.S_ISDIR(info.st_mode):
            os.unlink(entry.name, dir_fd=directory)
            continue
        if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o700 != 0o700:
            os.chmod(entry.name, 0o700, dir_fd=directory)  # a run may have locked itself out
        inner = os.open(entry.name, _DIRECTORY, dir_fd=directory)
        try:
            _empty(inner, device)
        finally:
            os.close(inner)
        try:
            os.rmdir(entry.name, dir_fd=directory)
        except OSError as error:  # it holds a bind mount (made by us, before the runs)
            if error.errno not in (errno.ENOTEMPTY, errno.EBUSY, errno.EACCES, errno.EPERM):
                raise


def clear_ipc(tables: Mapping[str, int]) -> None:
    """Remove every System V IPC object listed in the open /proc/sysvipc files `tables`."""
    for kind, fd in tables.items():
        lines = os.pread(fd, 1 << 20, 0).decode(errors="replace").splitlines()[1:]
        for line in lines:
            fields = line.split()
            if len(fields) > 1:
                with contextlib.suppress(OSError):  # gone already
                    libc.remove_ipc(kind, int(fields[1]))


def clean(modes: Mapping[str, int], tables: Mapping[str, int]) -> None:
    """Everything a run may have left in the sandbox's files and IPC namespace.

    `modes`: of /box and /tmp before the first run.
    """
    for top, mode in modes.items():
        wipe(top, mode)
    clear_ipc(tables)


def modes() -> dict[str, int]:
    """The modes of /box and /tmp now (before the first run)."""
    return {top: stat.S_IMODE(os.lstat(top).st_mode) for top in TREES}
