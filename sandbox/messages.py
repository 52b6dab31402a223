"""What a Sandbox asks its supervisor, and what the supervisor tells a run's init.

A `Sandbox` sends a `RunRequest` (one run), a `Together` (runs at the same
time, connected by pipes) or a `Session` (runs until the next `Session` may
share sandboxes: one per shape). The supervisor sends an init a `Run` with
the run's stdin, stdout and stderr attached, and a `Kill` when the run
reached a limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.request import RunRequest


@dataclass(frozen=True)
class Session:
    """From now on, runs share sandboxes (`open`), or no more (and the shared ones end)."""

    open: bool


@dataclass(frozen=True)
class Together:
    """Two runs at the same time: each one's stdout is the other one's stdin."""

    first: RunRequest
    second: RunRequest


@dataclass(frozen=True)
class Run:
    """A request for an init, its stdin, stdout and stderr attached; `last`: exit after it."""

    request: RunRequest
    last: bool


@dataclass(frozen=True)
class Kill:
    """Kill every process of the run now (a limit was reached)."""
