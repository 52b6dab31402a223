"""What the sandbox shows and allows of the host: socket families, /proc, file-size verdicts."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from sandbox_support import Runner, c_program

import sandbox
from sandbox import Bind, Limits, MiB, Status

SOCKETS = """
    int families[] = {AF_VSOCK, AF_NETLINK, AF_PACKET, AF_ALG, AF_UNIX, AF_INET, AF_INET6};
    for (int i = 0; i < 7; i++) {
        int s = socket(families[i], families[i] == AF_NETLINK ? SOCK_RAW : SOCK_STREAM, 0);
        printf("%d %s\\n", families[i], s < 0 ? strerrorname_np(errno) : "ok");
    }
    int pair[2];
    printf("socketpair %s\\n", socketpair(AF_UNIX, SOCK_STREAM, 0, pair) ? "failed" : "ok");
    return 0;
"""


def test_only_unix_and_ip_sockets_can_be_created(runner: Runner) -> None:
    result = runner.c(c_program(SOCKETS, "#include <linux/vm_sockets.h>"))
    assert result.status == Status.OK, result
    assert result.stdout.decode().splitlines() == [
        "40 EAFNOSUPPORT",  # vsock: the network namespace does not isolate it
        "16 EAFNOSUPPORT",  # netlink
        "17 EAFNOSUPPORT",  # packet
        "38 EAFNOSUPPORT",  # AF_ALG, the kernel's crypto API
        "1 ok",
        "2 ok",
        "10 ok",
        "socketpair ok",
    ]


def test_python_starts_and_uses_its_sockets(runner: Runner) -> None:
    code = """
import asyncio, socket
a, b = socket.socketpair()
a.sendall(b"ping")
print(b.recv(4).decode(), socket.getaddrinfo("localhost", 80)[0][4][0] in ("127.0.0.1", "::1"))
asyncio.run(asyncio.sleep(0))
"""
    result = runner.python(code)
    assert (result.status, result.stdout) == (Status.OK, b"ping True\n"), result


def test_a_large_read_only_file_is_not_the_run_s_output(runner: Runner, tmp_path: Path) -> None:
    """A failing run is RE, not OLE, however large the files bound into /tmp and /box."""
    big = tmp_path / "big"
    big.write_bytes(bytes(2 * MiB))
    binds = [Bind(big, "/tmp/checks/big"), Bind(tmp_path, "/box/data")]
    limits = Limits(cpu_time=2, wall_time=5, file_size=1 * MiB)
    result = runner.python("raise SystemExit(1)", limits=limits, binds=binds)
    assert (result.status, result.exit_code) == (Status.RE, 1), result


def test_a_file_the_run_wrote_up_to_the_limit_is_ole(runner: Runner) -> None:
    code = "open('/box/out', 'wb').write(bytes(2 << 20))"  # CPython ignores SIGXFSZ: EFBIG
    result = runner.python(code, limits=Limits(cpu_time=2, wall_time=5, file_size=1 * MiB))
    assert result.status == Status.OLE, result


def test_the_init_s_command_line_shows_no_host_path(runner: Runner) -> None:
    show = "import sys; sys.stdout.buffer.write(open('/proc/1/cmdline', 'rb').read())"
    result = runner.python(show)
    assert result.status == Status.OK, result
    project = str(Path(sandbox.__file__).resolve().parent.parent)
    assert sys.executable.encode() not in result.stdout
    assert project.encode() not in result.stdout
    assert result.stdout.split(b"\0")[0] == b"sandbox.supervisor"


PROC = """
import os
print(sorted(name for name in os.listdir("/proc") if not name.isdigit()))
for path in ("/proc/cmdline", "/proc/sys/kernel/hostname", "/proc/mounts", "/proc/version"):
    print(path, os.path.exists(path))
print(open("/proc/self/mountinfo").read())
"""


def test_proc_shows_the_sandbox_s_processes_and_nothing_of_the_host(
    runner: Runner, tmp_path: Path
) -> None:
    secret = tmp_path / f"helper-{secrets.token_hex(8)}.py"
    secret.write_text("pass\n")
    result = runner.python(PROC, binds=[Bind(secret, "/opt/judge/helper.py")])
    assert result.status == Status.OK, result
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "['self', 'thread-self']"
    assert lines[1:5] == [
        "/proc/cmdline False",
        "/proc/sys/kernel/hostname False",
        "/proc/mounts False",
        "/proc/version False",
    ]
    mountinfo = "\n".join(lines[5:])
    assert secret.name not in mountinfo and str(tmp_path) not in mountinfo
    assert " /opt/judge/helper.py " not in mountinfo  # copied into the root, not bound
    assert Path("/proc/cmdline").read_text().strip() not in result.stdout.decode()
