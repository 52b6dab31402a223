"""Removing the empty cgroups of finished runs, in the background.

Removing a cgroup can take milliseconds inside the kernel (cgroup v1's
cpuacct waits for an RCU grace period): a reply should not wait for it. By
then every process of the run is dead and the group is empty; a child of the
supervisor, forked once while it is still single-threaded, removes it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable
from pathlib import Path

import prctl

from sandbox import cgroups

# Seconds a group may stay busy: an init killed with its sandbox leaves it
# once the kernel has killed every process of its namespace.
PATIENCE = 30.0


def _serve(requests: int) -> None:
    """Remove the directories named on `requests`, one per line, until it closes."""
    with os.fdopen(requests, "rb") as lines:
        for line in lines:
            path = Path(os.fsdecode(line.rstrip(b"\n")))
            try:
                cgroups.remove_directory(path, PATIENCE)
            except OSError as error:
                os.write(2, f"sandbox cleaner: cannot remove {path}: {error}\n".encode())


class Cleaner:
    def __init__(self) -> None:
        read_end, self._requests = os.pipe2(os.O_CLOEXEC)
        self.pid = os.fork()
        if self.pid == 0:
            try:
                prctl.set_pdeathsig(signal.SIGKILL)
                os.closerange(3, read_end)
                os.closerange(read_end + 1, 1 << 20)
                _serve(read_end)
            finally:
                os._exit(0)
        os.close(read_end)

    def remove(self, directories: Iterable[Path]) -> None:
        os.write(self._requests, b"".join(os.fsencode(path) + b"\n" for path in directories))

    def close(self) -> None:
        """Wait until every removal asked for is done."""
        os.close(self._requests)
        os.waitpid(self.pid, 0)
