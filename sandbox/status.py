"""The status of one run, as in the public contract."""

from enum import StrEnum


class Status(StrEnum):
    OK = "OK"  # exited 0 within every limit
    TLE = "TLE"  # CPU or wall time limit reached
    MLE = "MLE"  # memory limit reached
    OLE = "OLE"  # output or file size limit reached
    RE = "RE"  # non-zero exit or killed by a signal
    IE = "IE"  # the sandbox itself failed
