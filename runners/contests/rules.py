"""A contest's rules and its submissions as the scoreboard sees them: plain values, no database.

A contest's life, by the clock:

```
   upcoming ---start---> running ---end---> ended
                            |  end - freeze
                            +---> frozen: the public board stops changing
```

The freeze starts `freeze` minutes before the end and holds, after the end
too, until the contest is replaced with `freeze` 0 (as ICPC boards stay
frozen until the results are revealed). Only submissions made between start
and end count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from runners.judging.verdict import Verdict

# Verdicts that are not the submitter's attempt at the problem: never counted.
NOT_COUNTED = frozenset({Verdict.CE, Verdict.IE})


class Format(StrEnum):
    ICPC = "icpc"  # problems solved, then penalty minutes
    IOI = "ioi"  # sum of each problem's best score, out of 100


class Phase(StrEnum):
    UPCOMING = "upcoming"
    RUNNING = "running"
    ENDED = "ended"


@dataclass(frozen=True)
class Rules:
    """What the scoreboard needs of a contest; `freeze` and `penalty` are minutes."""

    format: Format
    start: datetime
    end: datetime
    exercises: tuple[str, ...]
    freeze: int = 0
    penalty: int = 20

    @property
    def freeze_start(self) -> datetime | None:
        """When the public board stops changing, or None without a freeze."""
        return self.end - timedelta(minutes=self.freeze) if self.freeze else None

    def phase(self, moment: datetime) -> Phase:
        if moment < self.start:
            return Phase.UPCOMING
        return Phase.RUNNING if moment < self.end else Phase.ENDED

    def frozen(self, moment: datetime) -> bool:
        """True once the public board stopped changing."""
        start = self.freeze_start
        return start is not None and moment >= start

    def hides(self, made: datetime) -> bool:
        """True if the public board hides the result of a submission made at `made`."""
        start = self.freeze_start
        return start is not None and made >= start

    def counts(self, made: datetime) -> bool:
        """True if a submission made at `made` is in the contest's window."""
        return self.start <= made < self.end

    def minutes(self, made: datetime) -> int:
        """Whole minutes from the start to `made`, as ICPC counts them."""
        return int((made - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Entry:
    """One contest submission: `verdict` is None until judged."""

    id: int
    user: str
    exercise: str
    made: datetime
    verdict: Verdict | None = None
    score: float | None = None
    max_score: float | None = None
