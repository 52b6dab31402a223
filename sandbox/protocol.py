"""Messages between a Sandbox, its supervisor and the inits: length-prefixed pickles.

Every end is this package's own trusted code; nothing from inside a sandbox
is ever unpickled except as plain bytes within these messages. File
descriptors ride along a message's header (SCM_RIGHTS).
"""

from __future__ import annotations

import os
import pickle
import socket
import struct
from collections.abc import Sequence
from typing import Any

HEADER = struct.Struct("!Q")
MAX_FDS = 3  # a run's stdin, stdout and stderr


def frame(message: Any) -> bytes:
    """`message` as a header and a payload, for a pipe or a socket."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def framed_size(buffer: bytes | bytearray) -> int | None:
    """The size of the whole first message in `buffer`, once its header is in."""
    if len(buffer) < HEADER.size:
        return None
    return HEADER.size + int(HEADER.unpack_from(buffer)[0])


def unframe(buffer: bytes | bytearray) -> Any:
    """The message framed in `buffer` (complete: see `framed_size`)."""
    return pickle.loads(memoryview(buffer)[HEADER.size :])


def send(sock: socket.socket, message: Any, fds: Sequence[int] = ()) -> None:
    data = frame(message)
    if fds:
        socket.send_fds(sock, [data[: HEADER.size]], list(fds))
        data = data[HEADER.size :]
    sock.sendall(data)


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray()
    while len(buffer) < size:
        chunk = sock.recv(min(size - len(buffer), 1 << 20))
        if not chunk:
            return None
        buffer += chunk
    return bytes(buffer)


def receive(sock: socket.socket) -> Any:
    """The next message, or None when the other end closed."""
    return receive_with_fds(sock, 0)[0]


def receive_with_fds(sock: socket.socket, max_fds: int = MAX_FDS) -> tuple[Any, list[int]]:
    """The next message and the descriptors sent with it; (None, []) once the other end closed."""
    if max_fds:
        header, fds, _, _ = socket.recv_fds(sock, HEADER.size, max_fds)
    else:
        header, fds = sock.recv(HEADER.size), []
    if not header:
        return None, []
    try:
        rest = _read_exactly(sock, HEADER.size - len(header)) if len(header) < HEADER.size else b""
        payload = None if rest is None else _read_exactly(sock, HEADER.unpack(header + rest)[0])
        if payload is None:
            raise ConnectionError("truncated message")
        return pickle.loads(payload), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
