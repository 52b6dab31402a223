"""docs/contract.md is the public contract as the project received it (../shared/contract.md).

A clone of the repository has no ../shared: there the copy is checked for the
contract's sections only.
"""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
COPY = CHECKOUT / "docs" / "contract.md"
SHARED = CHECKOUT.parent / "shared" / "contract.md"
SECTIONS = ("## Statuses", "## Command line", "## Exercise folder", "## HTTP API")


def test_the_copy_is_the_shared_contract() -> None:
    copy = COPY.read_text(encoding="utf-8")
    if SHARED.exists():
        assert copy == SHARED.read_text(encoding="utf-8"), (
            "docs/contract.md differs from ../shared/contract.md: copy it again"
        )
    assert all(section in copy for section in SECTIONS)
