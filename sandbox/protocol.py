"""Messages between a Sandbox and its supervisor: length-prefixed pickles.

Both ends are this package's own trusted code; nothing from inside a sandbox
is ever unpickled except as plain bytes within these messages.
"""

from __future__ import annotations

import pickle
import socket
import struct
from typing import Any

_HEADER = struct.Struct("!Q")


def send(sock: socket.socket, message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(payload)) + payload)


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
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    payload = _read_exactly(sock, _HEADER.unpack(header)[0])
    return None if payload is None else pickle.loads(payload)


def send_with_fd(sock: socket.socket, message: Any, fd: int) -> None:
    """Send `message` with a file descriptor riding along its header."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    socket.send_fds(sock, [_HEADER.pack(len(payload))], [fd])
    sock.sendall(payload)


def receive_with_fd(sock: socket.socket) -> tuple[Any, int]:
    header, fds, _, _ = socket.recv_fds(sock, _HEADER.size, 1)
    if len(header) != _HEADER.size or len(fds) != 1:
        raise ConnectionError("truncated message")
    payload = _read_exactly(sock, _HEADER.unpack(header)[0])
    if payload is None:
        raise ConnectionError("truncated message")
    return pickle.loads(payload), fds[0]
