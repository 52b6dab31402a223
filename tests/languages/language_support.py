"""Helpers of the language tests that child processes import by name."""

from __future__ import annotations

from pathlib import Path

from languages.compile_cache import CompileCache, Entry


def hammer(directory: str, seed: int) -> list[str]:
    """Writes, reads and evicts in a small shared cache; returns what went wrong."""
    cache = CompileCache(Path(directory), 20_000)
    problems = []
    for i in range(200):
        key = f"{(seed * 7 + i) % 16:02x}" * 32
        artifact = key.encode() * 50
        cache.put(key, Entry("OK", key, artifact))
        entry = cache.get(f"{(seed + i) % 16:02x}" * 32)
        if entry is not None and entry.artifact != entry.output.encode() * 50:
            problems.append(f"torn entry {entry.output}")
    return problems
