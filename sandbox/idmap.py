"""User namespace id maps: who the run's users are on the host.

As root, inside uid 0 (the run's init, which builds the tree) and uid 1000
(the program) map to two unprivileged host ids that own nothing. As an
unprivileged user, only one's own id can be mapped: init and program are then
both that user inside, and the program loses its capabilities on exec.
"""

from __future__ import annotations

import os

from sandbox import kernfs
from sandbox.rootfs import PROGRAM_UID

DEFAULT_HOST_ID = 200000  # well above the ids Debian gives to users and daemons


def write_maps(pid: int, host_id: int = DEFAULT_HOST_ID) -> None:
    """Map the ids of the user namespace of process `pid` (from its parent)."""
    if os.geteuid() == 0:
        mapping = f"0 {host_id} 1\n{PROGRAM_UID} {host_id + 1} 1\n"
        kernfs.write(f"/proc/{pid}/uid_map", mapping)
        kernfs.write(f"/proc/{pid}/gid_map", mapping)
    else:
        kernfs.write(f"/proc/{pid}/setgroups", "deny")
        kernfs.write(f"/proc/{pid}/uid_map", f"{PROGRAM_UID} {os.geteuid()} 1\n")
        kernfs.write(f"/proc/{pid}/gid_map", f"{PROGRAM_UID} {os.getegid()} 1\n")


def init_id() -> int:
    """The id a run's init takes inside once its maps are written.

    Call it on the host side: inside a new user namespace, before its maps,
    geteuid() is the overflow id.
    """
    return 0 if os.geteuid() == 0 else PROGRAM_UID
