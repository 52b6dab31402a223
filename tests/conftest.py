"""Fixtures shared by every suite: one real sandbox, a private compile cache.

Tests are imported with `--import-mode=importlib` (pyproject.toml), so no
folder of tests lands on sys.path: `tests/languages` cannot shadow the
`languages` package. Support modules are found through `pythonpath`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from languages import CompileCache
from sandbox import MiB, Sandbox


@pytest.fixture(scope="session")
def box() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> CompileCache:
    return CompileCache(tmp_path_factory.mktemp("compile-cache"), 256 * MiB)
