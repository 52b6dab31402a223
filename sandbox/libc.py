"""The few system calls Python 3.11's os module lacks, through ctypes."""

from __future__ import annotations

import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# <linux/sched.h>
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

# <sys/mount.h>
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 2

# x86_64 system call numbers
_SYS_CLONE = 56
_SYS_PIVOT_ROOT = 155
_SYS_PRCTL = 157

PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
    return result


def clone(flags: int) -> int:
    """fork() into new namespaces: returns 0 in the child, its pid in the parent.

    Only safe from a single-threaded process (the supervisor).
    """
    return _check(_libc.syscall(_SYS_CLONE, flags | 17, 0, 0, 0, 0), "clone")  # 17 = SIGCHLD


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    result = _libc.mount(
        source.encode() if source else None,
        target.encode(),
        fstype.encode() if fstype else None,
        ctypes.c_ulong(flags),
        data.encode() if data else None,
    )
    _check(result, f"mount {source or fstype} on {target}")


def umount(target: str, flags: int = 0) -> None:
    _check(_libc.umount2(target.encode(), flags), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    _check(_libc.syscall(_SYS_PIVOT_ROOT, new_root.encode(), put_old.encode()), "pivot_root")


def sethostname(name: str) -> None:
    encoded = name.encode()
    _check(_libc.sethostname(encoded, len(encoded)), "sethostname")


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_char_p))


def load_seccomp(bpf: bytes) -> None:
    """Install a compiled seccomp filter (needs no_new_privs or CAP_SYS_ADMIN)."""
    program = _SockFprog(len(bpf) // 8, bpf)
    _check(
        _libc.syscall(_SYS_PRCTL, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0),
        "seccomp",
    )


IPC_RMID = 0


def remove_ipc(kind: str, ipc_id: int) -> None:
    """Remove the System V IPC object `ipc_id` of `kind` ("shm", "msg" or "sem")."""
    if kind == "shm":
        result = _libc.shmctl(ipc_id, IPC_RMID, None)
    elif kind == "msg":
        result = _libc.msgctl(ipc_id, IPC_RMID, None)
    else:
        result = _libc.semctl(ipc_id, 0, IPC_RMID)
    _check(result, f"remove {kind} {ipc_id}")


def set_command_line(text: str) -> None:
    """Show `text` as this process's /proc/PID/cmdline, as `ps` does and its forks inherit.

    The kernel reads the command line from the memory the initial argv
    strings occupy; overwriting them (NUL-padded) replaces it. Shorter
    than the original only: the rest is cut.
    """
    with open("/proc/self/stat", "rb") as file:
        fields = file.read().rpartition(b")")[2].split()
    start, end = int(fields[45]), int(fields[46])  # arg_start and arg_end: fields 48 and 49
    encoded = text.encode()[: max(0, end - start - 1)]
    ctypes.memmove(start, encoded + b"\0" * (end - start - len(encoded)), end - start)
