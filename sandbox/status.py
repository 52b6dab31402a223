"""The status of one run, as in the public contract."""

from enum import Enum


class Status(str, Enum):
    OK = "OK"  # exited 0 within every limit
    TLE = "TLE"  # CPU or wall time limit reached
    MLE = "MLE"  # memory limit reached
    OLE = "OLE"  # output or file size limit reached
    RE = "RE"  # non-zero exit or killed by a signal
    IE = "IE"  # the sandbox itself failed

    def __str__(self) -> str:
        return self.value
