"""Exercises loaded once and kept until their folder changes.

A worker judges the same exercises over and over; loading one reads and
validates its `exercise.toml` and lists its tests. The cache checks a
folder's signature instead, a few `stat`s: the folder, and each entry in it
(a file edited, added, removed or renamed changes it; so does a test added,
removed or renamed, through the `tests/` folder's own times). What is read
while judging (test data, checkers, check scripts) is read then, never kept.
A broken folder is never cached: it is loaded, and reported, every time.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from runners.judging.exercise.loader import load_exercise
from runners.judging.exercise.model import Exercise

Signature = tuple[tuple[str, int, int, int, int], ...]


def signature(folder: Path) -> Signature:
    """What any change that matters to the loader changes (raises OSError if it is gone)."""
    entries = [(".", *_times(os.stat(folder)))]
    with os.scandir(folder) as scan:
        for entry in scan:
            entries.append((entry.name, *_times(entry.stat())))
    return tuple(sorted(entries))


def _times(info: os.stat_result) -> tuple[int, int, int, int]:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


class ExerciseCache:
    """Thread-safe: the judging threads of a worker share one."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[Signature, Exercise]] = {}
        self._lock = threading.Lock()

    def load(self, folder: Path) -> Exercise:
        """The exercise in `folder`, loaded again only if the folder changed.

        Raises ExerciseError as `load_exercise` does.
        """
        try:
            current = signature(folder)
        except OSError:
            return load_exercise(folder)  # it says what is missing
        with self._lock:
            known = self._entries.get(folder)
        if known is not None and known[0] == current:
            return known[1]
        exercise = load_exercise(folder)
        with self._lock:
            self._entries[folder] = (current, exercise)
        return exercise
