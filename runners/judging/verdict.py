"""The verdict of one test and of a whole submission, as in the public contract."""

from enum import StrEnum

from sandbox.status import Status


class Verdict(StrEnum):
    AC = "AC"  # accepted
    WA = "WA"  # wrong answer
    PA = "PA"  # partially accepted: a checker gave a fraction strictly between 0 and 1
    TLE = "TLE"
    MLE = "MLE"
    OLE = "OLE"
    RE = "RE"
    CE = "CE"
    IE = "IE"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def of_run(cls, status: Status) -> "Verdict":
        """The verdict of a run that did not end with `OK` (limits, crash, sandbox failure)."""
        return cls(status.value)
