"""Reading `exercise.toml`: typed reads with precise errors, unknown keys refused."""

from __future__ import annotations

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

    def number(self, key: str, default: float | None, minimum: float = 0.0) -> float | None:
        value = self.get(key, is_number, "a number", default)
        if value is not None and not value > minimum:
            raise self.error(key, f"must be more than {minimum:g}, got {value!r}")
        return None if value is None else float(value)

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


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    except tomllib.TOMLDecodeError as error:
        raise ExerciseError(f"{file}: invalid TOML: {error}") from None
    return Table(file, "", data)
