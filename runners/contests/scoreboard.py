"""The scoreboard of a contest, computed from its rules and submissions (pure: no database).

icpc: a row's `score` is the number of problems solved (some submission AC);
`penalty` adds, for each solved problem, the minutes from the start to its
first AC and `rules.penalty` minutes per rejected submission before it. CE
and IE are not counted; submissions after the first AC neither.

ioi: a problem's score is the best score of its submissions as a fraction
of their `max_score`, times 100 (two decimals); a row's `score` is their sum
and its `penalty` 0.

Either way, `attempts` counts the submissions that count, `time` is the
minute of the first AC, and `pending` says how many of those attempts show
no result yet: not judged, or hidden by the freeze from everyone but
admins. Rows are sorted best first (then by name); equal rows share a rank
and the next rank skips (1, 1, 3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

import msgspec

from runners.contests.rules import NOT_COUNTED, Entry, Format, Rules
from runners.judging.verdict import Verdict


class Cell(msgspec.Struct):
    """One user's standing on one problem."""

    score: float  # icpc: 1 if solved, else 0
    attempts: int
    solved: bool
    time: int | None  # minutes from the start to the first AC
    pending: int  # attempts whose result is not shown (not judged yet, or frozen)


class Row(msgspec.Struct):
    rank: int
    user: str
    score: float
    penalty: int
    problems: dict[str, Cell]


class Scoreboard(msgspec.Struct):
    contest: str
    format: Format
    frozen: bool  # the public board stopped changing (admins still see every result)
    rows: list[Row]


Shown = Callable[[Entry], bool]


def _attempts(entries: list[Entry], shown: Shown) -> Iterator[Entry | None]:
    """The submissions that count, in order: None for those whose result is not shown."""
    for entry in entries:
        if not shown(entry):
            yield None
        elif entry.verdict not in NOT_COUNTED:
            yield entry


def _icpc_cell(rules: Rules, entries: list[Entry], shown: Shown) -> tuple[Cell, int]:
    """The cell and the penalty minutes it adds."""
    attempts = pending = rejected = 0
    for entry in _attempts(entries, shown):
        attempts += 1
        if entry is None:
            pending += 1
            continue
        if entry.verdict is Verdict.AC:
            time = rules.minutes(entry.made)
            return Cell(1, attempts, True, time, pending), time + rules.penalty * rejected
        rejected += 1
    return Cell(0, attempts, False, None, pending), 0


def _ioi_cell(rules: Rules, entries: list[Entry], shown: Shown) -> tuple[Cell, int]:
    best, time = 0.0, None
    attempts = pending = 0
    for entry in _attempts(entries, shown):
        attempts += 1
        if entry is None:
            pending += 1
            continue
        if entry.max_score and entry.score is not None:
            best = max(best, entry.score / entry.max_score * 100)
        if entry.verdict is Verdict.AC and time is None:
            time = rules.minutes(entry.made)
    return Cell(round(best, 2), attempts, time is not None, time, pending), 0


CELLS = {Format.ICPC: _icpc_cell, Format.IOI: _ioi_cell}


def _row(rules: Rules, user: str, entries: dict[str, list[Entry]], shown: Shown) -> Row:
    problems: dict[str, Cell] = {}
    penalty = 0
    for exercise in rules.exercises:
        problems[exercise], minutes = CELLS[rules.format](rules, entries[exercise], shown)
        penalty += minutes
    total = sum(cell.score for cell in problems.values())
    score = int(total) if rules.format is Format.ICPC else round(total, 2)
    return Row(0, user, score, penalty, problems)


def ranked(rows: list[Row]) -> list[Row]:
    """Rows best first, ranks shared by equal rows, the next rank skipping (1, 1, 3)."""
    rows = sorted(rows, key=lambda row: (-row.score, row.penalty, row.user))
    for index, row in enumerate(rows):
        previous = rows[index - 1]
        tied = index > 0 and (previous.score, previous.penalty) == (row.score, row.penalty)
        row.rank = previous.rank if tied else index + 1
    return rows


def scoreboard(
    contest: str, rules: Rules, users: Iterable[str], entries: Iterable[Entry], *, admin: bool,
    now: datetime,
) -> Scoreboard:  # fmt: skip
    """The board of registered `users` at `now`, as admins (`admin`) or everyone else see it."""
    cells: dict[str, dict[str, list[Entry]]] = {user: defaultdict(list) for user in users}
    for entry in sorted(entries, key=lambda entry: (entry.made, entry.id)):
        if entry.user in cells and entry.exercise in rules.exercises and rules.counts(entry.made):
            cells[entry.user][entry.exercise].append(entry)

    def shown(entry: Entry) -> bool:
        return entry.verdict is not None and (admin or not rules.hides(entry.made))

    rows = [_row(rules, user, exercises, shown) for user, exercises in cells.items()]
    return Scoreboard(contest, rules.format, rules.frozen(now), ranked(rows))
