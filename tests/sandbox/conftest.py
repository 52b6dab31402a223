"""Fixtures of the sandbox tests: one real sandbox per module, C programs built with gcc."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_support import HOST_ID, Runner

from sandbox import Sandbox, SandboxConfig


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("c-programs")


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(SandboxConfig(host_id=HOST_ID)) as sandbox:
        yield sandbox


@pytest.fixture
def runner(box: Sandbox, build_dir: Path) -> Runner:
    return Runner(box, build_dir)
