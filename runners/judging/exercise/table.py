"""Reading `exercise.toml`: typed reads with precise errors, unknown keys refused."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from runners.judging.exercise.model import ExerciseError


class Table:
    """One TOML table being validated; `finish()` refuses the keys nobody read."""

    def __init__(self, file: Path, name: str, data: Mapping[str, Any]) -> None:
        self.file, self.name, self.data = file, name, data
        self.seen: set[str] = set()

    def error(self, key: str, problem: str) -> ExerciseError:
        where = f"[{self.name}] {key}" if self.name else key
        return ExerciseError(f"{self.file}: {where}: {problem}")

    def get(self, key: str, check: Callable[[Any], bool], expected: str, default: Any) -> Any:
        self.seen.add(key)
        if key not in self.data:
            return default
        value = self.data[key]
        if not check(value):
            raise self.error(key, f"expected {expected}, got {value!r}")
        return value

    def number(self, key: str, default: float | None, low: float, high: float) -> float | None:
        """A number from `low` to `high` (bounds included), or `default` when absent."""
        value = self.get(key, is_number, "a number", default)
        self._check_range(key, value, low, high)
        return None if value is None else float(value)

    def integer(self, key: str, default: int, low: int, high: int, unit: str) -> int:
        """A whole number of `unit` from `low` to `high`, or `default` when absent."""
        value: int = self.get(key, is_integer, f"a whole number of {unit}", default)
        self._check_range(key, value, low, high)
        return value

    def _check_range(self, key: str, value: float | None, low: float, high: float) -> None:
        if value is not None and not low <= value <= high:
            raise self.error(key, f"must be from {low:.15g} to {high:.15g}, got {value!r}")

    def strings(self, key: str, default: list[str] | None) -> list[str] | None:
        value: list[str] | None = self.get(
            key, is_string_list, "a non-empty list of strings", default
        )
        return value

    def table(self, key: str) -> Table:
        """The sub-table `[key]` (empty when absent)."""
        value = self.get(key, lambda v: isinstance(v, dict), f"a table [{key}]", {})
        return Table(self.file, key, value)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(unknown[0], f"unknown key (known: {', '.join(sorted(self.seen))})")


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """An integer or a finite float: TOML's inf and nan are no limit and no score."""
    return is_integer(value) or (isinstance(value, float) and math.isfinite(value))


def is_string_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def read_toml(file: Path) -> Table:
    """The root table of `file`."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseError(
            f"{file}: missing (every exercise needs one, with at least a title)"
        ) from None
    except UnicodeDecodeError as error:
        raise ExerciseError(f"{file}: not UTF-8 ({error})") from None
    except OSError as error:  # a folder of that name, no permission...
        raise ExerciseError(f"{file}: cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise ExerciseError(f"{file}: invalid TOML: {error}") from None
    return Table(file, "", data)
