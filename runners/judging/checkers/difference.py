"""Where two sequences of lines or tokens first differ, told briefly to a student."""

from __future__ import annotations

from collections.abc import Sequence

SHOWN = 60  # characters of a line or token shown in a message


def show(item: bytes | None) -> str:
    """A short, printable rendering of one line or token."""
    if item is None:
        return "end of output"
    text = item.decode("utf-8", errors="replace")
    if len(text) > SHOWN:
        text = text[: SHOWN - 1] + "…"
    return repr(text)


def first_difference(expected: Sequence[bytes], actual: Sequence[bytes]) -> int | None:
    """The index of the first differing item (None when equal)."""
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want != got:
            return index
    if len(expected) != len(actual):
        return min(len(expected), len(actual))
    return None


def describe(
    what: str, index: int, expected: Sequence[bytes], actual: Sequence[bytes], show_data: bool
) -> str:
    """'Wrong answer on line 3: expected '5', got '4'.' (the data only when `show_data`)."""
    where = f"Wrong answer on {what} {index + 1}"
    if not show_data:
        if index >= len(actual):
            return f"{where}: your output is too short."
        if index >= len(expected):
            return f"{where}: your output is too long."
        return f"{where}."
    want = expected[index] if index < len(expected) else None
    got = actual[index] if index < len(actual) else None
    return f"{where}: expected {show(want)}, got {show(got)}."
