"""Contests: their rules and scoreboards (icpc, ioi), as pure functions of plain values.

| module | concern |
|---|---|
| `rules.py` | a contest's format, window, freeze and penalty; one submission as the board sees it |
| `scoreboard.py` | the scoreboard: cells per format, rows, shared ranks |
"""

from runners.contests.rules import NOT_COUNTED, Entry, Format, Phase, Rules
from runners.contests.scoreboard import Cell, Row, Scoreboard, ranked, scoreboard

__all__ = [
    "NOT_COUNTED",
    "Cell",
    "Entry",
    "Format",
    "Phase",
    "Row",
    "Rules",
    "Scoreboard",
    "ranked",
    "scoreboard",
]
