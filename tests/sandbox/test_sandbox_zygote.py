"""Warm starts: a zygote started ahead becomes the run's program (sandbox/zygote.py)."""

from __future__ import annotations

from sandbox_support import assert_host_clean

from sandbox import Limits, RunRequest, Sandbox, Status, system_binds

# The smallest zygote: take the streams, then exec argv for real.
EXEC_ZYGOTE = """
import os, socket
channel = socket.socket(fileno=3)
message, fds, _, _ = socket.recv_fds(channel, 1 << 16, 3)
channel.close()
for target, fd in enumerate(fds):
    os.dup2(fd, target)
    os.close(fd)
cwd, *argv = message.decode().split("\\0")[:-1]
os.chdir(cwd)
os.execv(argv[0], argv)
"""


def warm_request(argv: list[str], **fields: object) -> RunRequest:
    return RunRequest(
        argv=argv,
        zygote=["/usr/bin/python3", "-I", "-c", EXEC_ZYGOTE],
        binds=system_binds(),
        **fields,  # type: ignore[arg-type]
    )


def test_the_zygote_becomes_the_program(box: Sandbox) -> None:
    for _ in range(3):  # the first zygote starts with its request, the next ones ahead
        result = box.run(warm_request(["/bin/sh", "-c", "pwd; cat; exit 3"], stdin=b"in\n"))
        assert (result.status, result.exit_code) == (Status.RE, 3)
        assert result.stdout == b"/box\nin\n"
        assert_host_clean(box)


def test_the_program_gets_the_requests_limits(box: Sandbox) -> None:
    limits = Limits(open_files=42, file_size=4096)
    result = box.run(warm_request(["/bin/sh", "-c", "ulimit -n; ulimit -f"], limits=limits))
    assert result.status == Status.OK, result
    assert result.stdout.split() == [b"42", b"8"]  # sh counts the file size in 512-byte blocks


def test_a_zygote_that_cannot_start_is_an_internal_error(box: Sandbox) -> None:
    request = RunRequest(argv=["/bin/true"], zygote=["/no/such/zygote"], binds=system_binds())
    result = box.run(request)
    assert result.status == Status.IE
    assert "cannot start the zygote /no/such/zygote" in result.message
    assert_host_clean(box)
