"""The comparison checkers: exact, lines, tokens, float (pure, no sandbox)."""

from __future__ import annotations

import pytest

from runners.judging.checkers import exact, floats, lines, tokens
from runners.judging.checkers.output import Compare
from runners.judging.verdict import Verdict

COMPARATORS: dict[str, Compare] = {
    "exact": exact.compare,
    "lines": lines.compare,
    "tokens": tokens.compare,
    "float": floats.compare,
}


def verdict(kind: str, expected: bytes, actual: bytes, tolerance: float = 1e-6) -> Verdict:
    return COMPARATORS[kind](expected, actual, tolerance, True).verdict


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        (b"1\n", b"1\n", Verdict.AC),
        (b"1\n", b"1", Verdict.WA),
        (b"1\n", b"1 \n", Verdict.WA),
        (b"1\n", b"1\r\n", Verdict.WA),
        (b"", b"", Verdict.AC),
        (b"", b"\n", Verdict.WA),
        ("héllo ✓\n".encode(), "héllo ✓\n".encode(), Verdict.AC),
    ],
)
def test_exact(expected: bytes, actual: bytes, result: Verdict) -> None:
    assert verdict("exact", expected, actual) is result


def test_exact_tells_about_the_final_newline() -> None:
    outcome = COMPARATORS["exact"](b"hi\n", b"hi", 0, False)
    assert outcome.verdict is Verdict.WA
    assert "final newline" in outcome.message


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        (b"a\nb\n", b"a\nb", Verdict.AC),  # missing final newline
        (b"a\nb\n", b"a   \nb\t\n\n\n", Verdict.AC),  # trailing spaces and blank lines
        (b"a\nb\n", b"a\r\nb\r\n", Verdict.AC),  # CRLF
        (b"a\nb\n", b" a\nb\n", Verdict.WA),  # leading space matters
        (b"a\n\nb\n", b"a\nb\n", Verdict.WA),  # blank lines inside matter
        (b"", b"", Verdict.AC),
        (b"", b"\n\n  \n", Verdict.AC),  # empty output: blank lines only
        (b"x\n", b"", Verdict.WA),
        ("日本語 🎉\n".encode(), "日本語 🎉\r\n".encode(), Verdict.AC),
        ("é\n".encode(), "e\u0301\n".encode(), Verdict.WA),  # no Unicode normalization
    ],
)
def test_lines(expected: bytes, actual: bytes, result: Verdict) -> None:
    assert verdict("lines", expected, actual) is result


def test_lines_huge_output() -> None:
    big = b"".join(b"%d\n" % i for i in range(300_000))
    assert verdict("lines", big, big) is Verdict.AC
    changed = big.replace(b"\n299999\n", b"\n299998\n")
    outcome = COMPARATORS["lines"](big, changed, 0, True)
    assert outcome.verdict is Verdict.WA
    assert "line 300000" in outcome.message


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        (b"1 2 3\n", b"1\n2\n3", Verdict.AC),
        (b"1 2 3\n", b"  1\t2\r\n3  \n\n", Verdict.AC),
        (b"1 2 3\n", b"1 2", Verdict.WA),
        (b"1 2 3\n", b"1 2 3 4", Verdict.WA),
        (b"1.0\n", b"1", Verdict.WA),  # tokens compare as text
        (b"", b"   \n", Verdict.AC),
    ],
)
def test_tokens(expected: bytes, actual: bytes, result: Verdict) -> None:
    assert verdict("tokens", expected, actual) is result


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        (b"1.0\n", b"1", Verdict.AC),
        (b"3.14159265\n", b"3.1415927", Verdict.AC),  # absolute error 5e-8
        (b"1e6\n", b"1000000.5", Verdict.AC),  # relative error 5e-7
        (b"1e6\n", b"1000002", Verdict.WA),  # relative error 2e-6
        (b"1.5E-3\n", b"0.0015", Verdict.AC),  # exponents, either case
        (b"2.5e+10\n", b"25000000000.0", Verdict.AC),
        (b"0\n", b"-0.0", Verdict.AC),
        (b"0\n", b"1e-7", Verdict.AC),
        (b"0\n", b"1e-5", Verdict.WA),
        (b"nan\n", b"nan", Verdict.AC),
        (b"nan\n", b"0", Verdict.WA),  # NaN never equals a number
        (b"1\n", b"nan", Verdict.WA),
        (b"inf\n", b"inf", Verdict.AC),
        (b"inf\n", b"-inf", Verdict.WA),
        (b"1e308\n", b"inf", Verdict.WA),  # an infinity never equals a finite number
        (b"1\n", b"1_000", Verdict.WA),  # no Python-only syntax
        (b"1\n", b"0x1", Verdict.WA),
        (b"yes 2.0\n", b"yes 2", Verdict.AC),  # other tokens compare exactly
        (b"yes 2.0\n", b"Yes 2", Verdict.WA),
        (b"1 2\n", b"1", Verdict.WA),
        (b"", b"", Verdict.AC),
    ],
)
def test_float(expected: bytes, actual: bytes, result: Verdict) -> None:
    assert verdict("float", expected, actual) is result


def test_float_tolerance_is_configurable() -> None:
    assert verdict("float", b"1\n", b"1.05", tolerance=0.1) is Verdict.AC
    assert verdict("float", b"1\n", b"1.05", tolerance=0.01) is Verdict.WA


def test_messages_show_data_only_when_allowed() -> None:
    shown = COMPARATORS["lines"](b"1\n2\n3\n", b"1\n2\n4\n", 0, True)
    hidden = COMPARATORS["lines"](b"1\n2\n3\n", b"1\n2\n4\n", 0, False)
    assert shown.message == "Wrong answer on line 3: expected '3', got '4'."
    assert hidden.message == "Wrong answer on line 3."
    short = COMPARATORS["lines"](b"1\n2\n", b"1\n", 0, False)
    assert short.message == "Wrong answer on line 2: your output is too short."


def test_messages_are_short() -> None:
    outcome = COMPARATORS["tokens"](b"a" * 10_000, b"b" * 10_000, 0, True)
    assert len(outcome.message) < 200
    assert "token 1" in outcome.message
