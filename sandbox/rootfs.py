"""The sandbox's root: a read-only tmpfs of bind mounts, built once per sandbox.

The run's init opens every bind source with O_PATH while it still has the
supervisor's host uid, so it can later bind sources its mapped uid could not
even reach by path (a toolchain under a 0700 /root). It then builds the tree
in its private mount namespace and pivots into it. A small file bound
outside /box and /tmp (ld.so's cache, an interpreter's helper script) is
copied into the root instead: one mount fewer, and no host path of it in
/proc/self/mountinfo. /proc is mounted with `subset=pid`: the processes of
the sandbox and nothing of the host (no /proc/cmdline, /proc/sys...).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sandbox import libc
from sandbox.request import WORKSPACE, Bind

PROGRAM_UID = 1000  # the unprivileged user programs run as, inside
ROOT_SIZE = 1024 * 1024  # bytes of the root tmpfs, beyond the files copied into it
COPY_MAX = 1024 * 1024  # a file bind at most this large is copied instead of bound
WRITABLE = (WORKSPACE, "/tmp")
PROC_FLAGS = libc.MS_NOSUID | libc.MS_NODEV | libc.MS_NOEXEC
IPC_TABLES = ("shm", "msg", "sem")  # /proc/sysvipc files, for the cleaning between runs
DEVICES = ("null", "zero", "random", "urandom")
DEVICE_LINKS = {
    "fd": "/proc/self/fd",
    "stdin": "/proc/self/fd/0",
    "stdout": "/proc/self/fd/1",
    "stderr": "/proc/self/fd/2",
    "shm": "/tmp",
}
ETC_FILES = {
    "passwd": (
        "root:x:0:0:root:/:/bin/false\n"
        f"judge:x:{PROGRAM_UID}:{PROGRAM_UID}:judge:{WORKSPACE}:/bin/false\n"
    ),
    "group": f"root:x:0:\njudge:x:{PROGRAM_UID}:\n",
    "hosts": "127.0.0.1 localhost judge\n::1 localhost\n",
}
# statvfs flags that a user namespace may not clear on a bind it inherited.
_LOCKED_FLAGS = {
    os.ST_NOSUID: libc.MS_NOSUID,
    os.ST_NODEV: libc.MS_NODEV,
    os.ST_NOEXEC: libc.MS_NOEXEC,
    os.ST_NOATIME: libc.MS_NOATIME,
    os.ST_NODIRATIME: libc.MS_NODIRATIME,
    os.ST_RELATIME: libc.MS_RELATIME,
}


def system_binds() -> list[Bind]:
    """What most programs need: /usr and Debian's merged-/usr links, and ld.so's cache."""
    paths = ("/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/ld.so.cache")
    return [Bind(Path(path)) for path in paths if os.path.lexists(path)]


@dataclass(frozen=True)
class OpenBind:
    """A bind source, opened for one run."""

    target: str
    fd: int = -1  # O_PATH descriptor of the source; -1 for a symlink
    link: str = ""  # the symlink to recreate
    is_dir: bool = False
    flags: int = 0  # mount flags the bind must keep
    content: bytes | None = None  # a small file, copied rather than bound
    mode: int = 0o644  # of the copy


def _kept_flags(path: str) -> int:
    vfs = os.statvfs(path)
    return sum(ms for st, ms in _LOCKED_FLAGS.items() if vfs.f_flag & st)


def _check_target(target: str) -> None:
    reserved = target.rstrip("/") in ("", "/proc", "/dev")
    if not target.startswith("/") or ".." in Path(target).parts or reserved:
        raise ValueError(f"cannot bind onto {target!r}: not an absolute path below /")


def open_binds(binds: Sequence[Bind]) -> list[OpenBind]:
    """Open the sources of `binds`, shallowest target first."""
    opened: list[OpenBind] = []
    try:
        for bind in sorted(binds, key=lambda b: len(Path(b.path).parts)):
            _check_target(bind.path)
            source = str(bind.source)
            if os.path.islink(source):
                opened.append(OpenBind(bind.path, link=os.readlink(source)))
                continue
            copy = _copy(source, bind.path)
            if copy is not None:
                opened.append(copy)
                continue
            fd = os.open(source, os.O_PATH | os.O_CLOEXEC)
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
            opened.append(OpenBind(bind.path, fd, is_dir=is_dir, flags=_kept_flags(source)))
    except OSError as error:
        raise ValueError(f"cannot bind {error.filename}: {error.strerror}") from error
    return opened


def _copy(source: str, target: str) -> OpenBind | None:
    """A small regular file outside the writable trees, read to be copied into the root."""
    if any(Path(target).is_relative_to(top) for top in WRITABLE):
        return None  # a bind there is a mount point: a run cannot remove or replace it
    info = os.stat(source)
    if not stat.S_ISREG(info.st_mode) or info.st_size > COPY_MAX:
        return None
    with open(source, "rb") as file:
        content = file.read(COPY_MAX + 1)
    if len(content) > COPY_MAX:
        return None  # it grew meanwhile
    return OpenBind(target, content=content, mode=stat.S_IMODE(info.st_mode) & 0o755)


def _mountpoint(path: str, is_dir: bool) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if is_dir:
        os.makedirs(path, exist_ok=True)
    elif not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def _bind(source: str, target: str, is_dir: bool, flags: int, read_only: bool = True) -> None:
    _mountpoint(target, is_dir)
    libc.mount(source, target, None, libc.MS_BIND)
    remount = libc.MS_BIND | libc.MS_REMOUNT | libc.MS_NOSUID | flags
    libc.mount(None, target, None, remount | (libc.MS_RDONLY | libc.MS_NODEV if read_only else 0))


def _tmpfs(target: str, size: int, mode: str, owner: int | None = None) -> None:
    """A tmpfs owned by `owner`, by default by us (whatever our id is inside)."""
    inodes = max(256, size // 4096)  # a flood of empty files stops here too
    options = f"size={size},nr_inodes={inodes},mode={mode}"
    if owner is not None:
        options += f",uid={owner},gid={owner}"
    libc.mount("tmpfs", target, "tmpfs", libc.MS_NOSUID | libc.MS_NODEV, options)


def _place(root: str, bind: OpenBind) -> None:
    target = root + bind.target
    if bind.link:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.symlink(bind.link, target)
    elif bind.content is not None:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, bind.mode)
        with os.fdopen(fd, "wb") as file:
            file.write(bind.content)
        os.chmod(target, bind.mode)
    else:
        _bind(f"/proc/self/fd/{bind.fd}", target, bind.is_dir, bind.flags)


def _proc(target: str) -> dict[str, int]:
    """Mount /proc with only the processes of the sandbox; the IPC tables, opened before."""
    libc.mount("proc", target, "proc", PROC_FLAGS)
    tables = {}
    for kind in IPC_TABLES:
        with contextlib.suppress(FileNotFoundError):  # a kernel without System V IPC
            tables[kind] = os.open(f"{target}/sysvipc/{kind}", os.O_RDONLY | os.O_CLOEXEC)
    libc.umount(target, libc.MNT_DETACH)
    try:
        libc.mount("proc", target, "proc", PROC_FLAGS, "subset=pid")
    except OSError:  # before Linux 5.8: all of /proc
        libc.mount("proc", target, "proc", PROC_FLAGS)
    return tables


def build(root: str, binds: Sequence[OpenBind], workspace: int) -> dict[str, int]:
    """Build the sandbox's tree at `root` and make it `/` (in the run's init).

    Returns the /proc/sysvipc files opened (see `_proc`), by kind.
    """
    libc.mount(None, "/", None, libc.MS_REC | libc.MS_PRIVATE)
    copied = sum(len(bind.content) for bind in binds if bind.content is not None)
    _tmpfs(root, ROOT_SIZE + copied, "0755")
    for directory in ("etc", "dev", "proc", "tmp", WORKSPACE.strip("/")):
        os.mkdir(f"{root}/{directory}")
    for name, text in ETC_FILES.items():
        with open(f"{root}/etc/{name}", "w") as file:
            file.write(text)
    _tmpfs(f"{root}/tmp", workspace, "1777")
    _tmpfs(root + WORKSPACE, workspace, "0755", PROGRAM_UID)  # binds may go in it
    for bind in binds:
        _place(root, bind)
    dev_flags = _kept_flags("/dev") & ~libc.MS_NODEV
    for device in DEVICES:
        target = f"{root}/dev/{device}"
        _bind(f"/dev/{device}", target, False, dev_flags | libc.MS_NOEXEC, read_only=False)
    for name, link in DEVICE_LINKS.items():
        os.symlink(link, f"{root}/dev/{name}")
    tables = _proc(f"{root}/proc")
    libc.mount(None, root, None, libc.MS_REMOUNT | libc.MS_RDONLY | libc.MS_NOSUID | libc.MS_NODEV)
    os.chdir(root)
    libc.pivot_root(".", ".")  # the old root ends up stacked on the new one...
    libc.umount(".", libc.MNT_DETACH)  # ...and is detached from it
    os.chdir("/")
    return tables


def write_files(files: dict[str, bytes], executables: Iterable[str]) -> set[tuple[int, int]]:
    """Write the request's files into the workspace (inside, after `build`).

    Returns their (inode, size) pairs: what the run itself wrote is the rest.
    """
    runnable = set(executables)
    written = set()
    for name, data in files.items():
        path = os.path.join(WORKSPACE, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = 0o755 if name in runnable else 0o644
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            written.add((os.fstat(fd).st_ino, len(data)))
        os.chmod(path, mode)  # the umask must not take execute bits away
    return written
