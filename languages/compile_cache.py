"""The compile cache: build results on disk, so a source is compiled once.

One file per key: a JSON header line, then the artifact's bytes. Writes go
to a temporary file renamed into place, so readers in other processes see a
whole entry or none; a hit touches the entry, and eviction removes the least
recently used entries once the cache is over its size. Any entry may vanish
at any time (another process evicted it): that is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600  # a temporary file this old was left by a dead process


@dataclass(frozen=True)
class Entry:
    """A cached build: its status ("OK" or "CE"), compiler output and artifact."""

    status: str
    output: str
    artifact: bytes | None


def cache_key(*parts: str | bytes) -> str:
    """A digest of `parts`, unambiguous whatever they contain."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class CompileCache:
    """Build results under `directory`, at most about `max_bytes` in all."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def get(self, key: str) -> Entry | None:
        path = self.path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # most recently used
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("compile cache: cannot read %s: %s", path, error)
            return None
        return self.decode(path, data)

    def decode(self, path: Path, data: bytes) -> Entry | None:
        header, _, body = data.partition(b"\n")
        try:
            meta = json.loads(header)
            return Entry(meta["status"], meta["output"], body if meta["artifact"] else None)
        except (ValueError, KeyError, TypeError):
            log.warning("compile cache: dropping corrupt entry %s", path)
            remove(path)
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Store `entry` (best effort: a cache that cannot write is only slower)."""
        has_artifact = entry.artifact is not None
        header = {"status": entry.status, "output": entry.output, "artifact": has_artifact}
        data = json.dumps(header).encode() + b"\n" + (entry.artifact or b"")
        if len(data) > self.max_bytes:
            return
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=path.parent, prefix=TEMP_PREFIX, delete=False
            ) as file:
                file.write(data)
            os.replace(file.name, path)
        except OSError as error:
            log.warning("compile cache: cannot write %s: %s", path, error)
            return
        self.evict()

    def evict(self) -> None:
        """Remove the least recently used entries until the cache fits."""
        entries = sorted(self.entries(), key=lambda item: item[1].st_mtime)
        total = sum(stat.st_size for _, stat in entries)
        for path, stat in entries:
            if total <= self.max_bytes:
                break
            remove(path)
            total -= stat.st_size

    def entries(self) -> Iterable[tuple[Path, os.stat_result]]:
        """Every entry with its stat; stale temporary files are removed on the way."""
        now = time.time()
        for path in self.directory.glob("??/*"):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            if not path.name.startswith(TEMP_PREFIX):
                yield path, stat
            elif now - stat.st_mtime > STALE_TEMP_SECONDS:
                remove(path)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        log.warning("compile cache: cannot remove %s: %s", path, error)
