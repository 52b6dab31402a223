"""Programs that try to get out of the sandbox or take the host down.

Every run goes through `Runner`, which also asserts that no process, cgroup
or mount of the run is left on the host.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_support import HOST_ID, Runner, c_program, output

from sandbox import Bind, Limits, MiB, Sandbox, SandboxConfig, Status

# A fork bomb spends its CPU time, or its memory when each process is large
# enough: either limit contains it; the runner checks the host is clean.
BOMB_STOPPED = (Status.TLE, Status.MLE)


def test_c_fork_bomb_is_contained(runner: Runner) -> None:
    result = runner.c(c_program("for (;;) fork();"))
    assert result.status in BOMB_STOPPED, result


def test_python_fork_bomb_is_contained(runner: Runner) -> None:
    code = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
    result = runner.python(code)
    assert result.status in BOMB_STOPPED, result


def test_fork_stops_at_the_process_limit(runner: Runner) -> None:
    body = """
    int count = 1;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) { pause(); _exit(0); }
        if (pid < 0) break;
        count++;
    }
    printf("%d %s\\n", count, strerrorname_np(errno));
    return 0;
    """
    limits = Limits(cpu_time=2, wall_time=5, processes=20)
    result = runner.c(c_program(body), limits=limits)
    assert result.status == Status.OK, result
    count, error = result.stdout.split()
    assert int(count) <= limits.processes
    assert error == b"EAGAIN"


def test_thread_bomb_stops_at_the_process_limit(runner: Runner) -> None:
    before = "static void *sleeper(void *arg) { pause(); return arg; }"
    body = """
    int count = 1;
    pthread_t thread;
    int error;
    while ((error = pthread_create(&thread, NULL, sleeper, NULL)) == 0) count++;
    printf("%d %s\\n", count, strerrorname_np(error));
    return 0;
    """
    limits = Limits(cpu_time=2, wall_time=5, processes=20)
    result = runner.c(c_program(body, before), limits=limits)
    assert result.status == Status.OK, result
    count, error = result.stdout.split()
    assert int(count) <= limits.processes
    assert error == b"EAGAIN"


def test_endless_thread_bomb_is_contained(runner: Runner) -> None:
    before = "static void *spin(void *arg) { for (;;); return arg; }"
    body = "pthread_t t; for (;;) pthread_create(&t, NULL, spin, NULL);"
    result = runner.c(c_program(body, before))
    assert result.status == Status.TLE, result


def test_fd_exhaustion_stops_at_the_open_files_limit(runner: Runner) -> None:
    body = """
    int count = 0;
    while (open("/dev/null", O_RDONLY) >= 0) count++;
    printf("%d %s\\n", count, strerrorname_np(errno));
    return 0;
    """
    limits = Limits(cpu_time=2, wall_time=5, open_files=50)
    result = runner.c(c_program(body), limits=limits)
    assert result.status == Status.OK, result
    count, error = result.stdout.split()
    assert int(count) < limits.open_files
    assert error == b"EMFILE"


FILL = """
import errno, sys
path, written = sys.argv[1], 0
try:
    with open(path, "wb") as file:
        while True:
            file.write(b"x" * 65536)
            file.flush()
            written += 65536
except OSError as error:
    print(errno.errorcode[error.errno], written)
"""


@pytest.mark.parametrize("directory", ["/tmp", "/box"])
def test_filling_a_writable_directory_stops_at_its_size(runner: Runner, directory: str) -> None:
    name = f"fill-{secrets.token_hex(8)}"
    limits = Limits(cpu_time=2, wall_time=5, workspace=4 * MiB, file_size=64 * MiB)
    result = runner.python(FILL, f"{directory}/{name}", limits=limits)
    assert result.status == Status.OK, result
    error, written = result.stdout.split()
    assert error == b"ENOSPC"
    assert int(written) <= limits.workspace
    for host_directory in ("/tmp", "/box", "/run"):
        assert not Path(host_directory, name).exists()


def test_many_files_in_the_workspace_are_contained(runner: Runner) -> None:
    code = """
import errno
count = 0
try:
    while True:
        open(f"/box/{count}", "wb").close()
        count += 1
except OSError as error:
    print(errno.errorcode[error.errno], count)
"""
    result = runner.python(code, limits=Limits(cpu_time=2, wall_time=5, workspace=1 * MiB))
    assert result.status in (Status.OK, Status.TLE, Status.MLE), result
    if result.status == Status.OK:
        assert result.stdout.split()[0] == b"ENOSPC"


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


@pytest.fixture
def udp_listener() -> Iterator[socket.socket]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.setblocking(False)
        yield server


@pytest.fixture
def unix_listener(tmp_path: Path) -> Iterator[socket.socket]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "host.sock"))
        server.listen()
        server.setblocking(False)
        yield server


@pytest.fixture
def abstract_listener() -> Iterator[socket.socket]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(f"\0judge-test-{secrets.token_hex(8)}")
        server.listen()
        server.setblocking(False)
        yield server


CONNECT = """
import socket, sys
kind, address = sys.argv[1], sys.argv[2]
try:
    if kind == "tcp":
        socket.create_connection(("127.0.0.1", int(address)), timeout=1).sendall(b"hello")
    elif kind == "udp":
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.sendto(b"hello", ("127.0.0.1", int(address)))
    else:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(address.replace("@", "\\0", 1))
        client.sendall(b"hello")
    print("connected")
except OSError as error:
    print("failed", type(error).__name__, error)
"""


def assert_no_connection(listener: socket.socket) -> None:
    if listener.type == socket.SOCK_STREAM:
        with pytest.raises(BlockingIOError):
            listener.accept()
    else:
        with pytest.raises(BlockingIOError):
            listener.recv(100)


@pytest.mark.parametrize(
    "listener", ["tcp_listener", "udp_listener", "unix_listener", "abstract_listener"]
)
def test_host_listeners_cannot_be_reached(
    runner: Runner, listener: str, request: pytest.FixtureRequest
) -> None:
    server: socket.socket = request.getfixturevalue(listener)
    kind = listener.split("_")[0]
    address = server.getsockname()
    if kind in ("tcp", "udp"):
        argument = str(address[1])
    else:  # an abstract address comes back as bytes
        argument = address if isinstance(address, str) else "@" + address[1:].decode()
    result = runner.python(CONNECT, kind, argument)
    assert result.status == Status.OK, result
    assert result.stdout.startswith(b"failed"), result.stdout
    assert_no_connection(server)


def test_no_network_interface_is_up(runner: Runner) -> None:
    result = runner.c(
        c_program(
            """
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(53)};
    to.sin_addr.s_addr = htonl(0x08080808);
    int sent = sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof to);
    printf("%d %s\\n", sent, sent < 0 ? strerrorname_np(errno) : "sent");
    return 0;
    """,
            "#include <arpa/inet.h>\n#include <netinet/in.h>",
        )
    )
    assert result.status == Status.OK, result
    assert result.stdout == b"-1 ENETUNREACH\n"


READ_FILES = """
import sys
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as file:
            sys.stdout.buffer.write(path.encode() + b": " + file.read() + b"\\n")
    except OSError as error:
        print(f"{path}: {type(error).__name__}")
"""


def test_host_secrets_cannot_be_read(runner: Runner, tmp_path: Path) -> None:
    secret = secrets.token_hex(16)
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret)
    paths = [
        str(secret_file),
        f"/proc/1/root{secret_file}",
        f"/proc/{os.getpid()}/environ",  # the test's own environment
        "/etc/shadow",
        "/proc/1/environ",
        "/proc/1/mem",
    ]
    result = runner.python(READ_FILES, *paths)
    assert result.status == Status.OK, result
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(paths)
    assert all(line.endswith("Error") for line in lines), lines
    assert secret not in output(result)
    assert secret_file.read_text() == secret


def test_unreadable_files_of_a_bound_directory_stay_unreadable(
    runner: Runner, tmp_path: Path
) -> None:
    secret = secrets.token_hex(16)
    (tmp_path / "public.txt").write_text("public")
    (tmp_path / "public.txt").chmod(0o644)
    (tmp_path / "secret.txt").write_text(secret)
    (tmp_path / "secret.txt").chmod(0o600)
    tmp_path.chmod(0o755)
    result = runner.python(
        READ_FILES, "/host/public.txt", "/host/secret.txt", binds=[Bind(tmp_path, "/host")]
    )
    assert result.status == Status.OK, result
    assert result.stdout == b"/host/public.txt: public\n/host/secret.txt: PermissionError\n"


def test_host_environment_does_not_reach_the_program(
    build_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = secrets.token_hex(16)
    monkeypatch.setenv("JUDGE_TEST_SECRET", secret)
    body = """
    for (char **variable = environ; *variable; variable++) puts(*variable);
    int fd = open("/proc/1/environ", O_RDONLY);
    char buffer[4096];
    ssize_t size = fd < 0 ? 0 : read(fd, buffer, sizeof buffer);
    if (size > 0) fwrite(buffer, 1, size, stdout);
    return 0;
    """
    with Sandbox(SandboxConfig(host_id=HOST_ID)) as box:
        result = Runner(box, build_dir).c(c_program(body), env={"PATH": "/usr/bin:/bin"})
    assert result.status == Status.OK, result
    assert secret not in output(result)
    assert result.stdout.startswith(b"PATH=/usr/bin:/bin\n")
    assert b"JUDGE_TEST_SECRET" not in result.stdout


WRITE_FILES = """
import sys
for path in sys.argv[1:]:
    try:
        with open(path, "wb") as file:
            file.write(b"written")
        print(path, "written")
    except OSError as error:
        print(path, type(error).__name__)
"""


def test_nothing_outside_the_workspace_can_be_written(runner: Runner, tmp_path: Path) -> None:
    bound = tmp_path / "bound"
    bound.mkdir(mode=0o777)
    bound.chmod(0o777)
    existing = bound / "existing.txt"
    existing.write_text("original")
    existing.chmod(0o666)
    name = f"escape-{secrets.token_hex(8)}"
    targets = [
        *(
            f"{directory}/{name}"
            for directory in ("", "/usr", "/etc", "/dev", "/proc", "/sys", "/host", tmp_path)
        ),
        *("/etc/passwd", "/proc/sys/kernel/hostname", "/proc/sysrq-trigger", "/host/existing.txt"),
    ]
    result = runner.python(
        WRITE_FILES, *targets, "/box/ok", "/tmp/ok", binds=[Bind(bound, "/host")]
    )
    assert result.status == Status.OK, result
    lines = result.stdout.decode().splitlines()
    assert lines[-2:] == ["/box/ok written", "/tmp/ok written"]
    assert not [line for line in lines[:-2] if line.endswith("written")], lines
    assert existing.read_text() == "original"
    assert sorted(path.name for path in bound.iterdir()) == ["existing.txt"]
    for directory in ("/", "/usr", "/etc", "/dev", str(tmp_path)):
        assert not Path(directory, name).exists()


def test_bound_files_and_stdin_cannot_be_written(runner: Runner, tmp_path: Path) -> None:
    """The program's binary and its stdin file are host files: reopening them to write fails."""
    stdin = tmp_path / "input.txt"
    stdin.write_text("input")
    body = """
    const char *paths[] = {"/box/prog", "/proc/self/fd/0", "/proc/self/exe"};
    for (int i = 0; i < 3; i++) {
        int fd = open(paths[i], O_WRONLY | O_TRUNC);
        printf("%s %s\\n", paths[i], fd < 0 ? strerrorname_np(errno) : "opened");
    }
    printf("unlink %d\\n", unlink("/box/prog"));
    return 0;
    """
    source = c_program(body)
    binary = runner.compile(source).read_bytes()
    result = runner.c(source, stdin=stdin)
    assert result.status == Status.OK, result
    assert b"opened" not in result.stdout, result.stdout
    assert result.stdout.endswith(b"unlink -1\n")
    assert stdin.read_text() == "input"
    assert runner.compile(source).read_bytes() == binary


@pytest.fixture
def host_process() -> Iterator[subprocess.Popen[bytes]]:
    """A host process of the program's own host uid: kill(-1) must still miss it."""
    process = subprocess.Popen(["/bin/sleep", "600"], user=HOST_ID + 1, group=HOST_ID + 1)
    yield process
    process.kill()
    process.wait()


def test_kill_everything_spares_the_host(
    runner: Runner, host_process: subprocess.Popen[bytes]
) -> None:
    body = f"""
    printf("%d ", kill(-1, SIGKILL));
    printf("%d ", kill({host_process.pid}, SIGKILL));
    printf("%d\\n", kill(1, SIGKILL));
    return 0;
    """
    result = runner.c(c_program(body), ignore={host_process.pid})
    assert result.status == Status.OK, result
    assert result.stdout.split()[1] == b"-1"  # the host process is not even visible
    assert host_process.poll() is None
    after = runner.python("print('still serving')", ignore={host_process.pid})
    assert after.stdout == b"still serving\n"  # the supervisor survived too


FORBIDDEN = {
    "ptrace": "syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0);",
    "mount": 'syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, 0);',
    "unshare": "syscall(SYS_unshare, CLONE_NEWUSER);",
    "setns": 'syscall(SYS_setns, open("/proc/self/ns/net", O_RDONLY), 0);',
    "bpf": "syscall(SYS_bpf, 0, 0, 0);",
    "perf_event_open": "syscall(SYS_perf_event_open, 0, 0, -1, -1, 0);",
    "io_uring_setup": "char params[256] = {0}; syscall(SYS_io_uring_setup, 1, params);",
    "keyctl": "syscall(SYS_keyctl, 0, 0, 0, 0, 0);",
    "chroot": 'syscall(SYS_chroot, "/tmp");',
    "x32 getpid": "syscall(0x40000000 | SYS_getpid);",
    "i386 getpid": 'int result; __asm__ volatile("int $0x80" : "=a"(result) : "a"(20));',
}


@pytest.mark.parametrize("call", FORBIDDEN)
def test_forbidden_system_calls_kill_the_program(runner: Runner, call: str) -> None:
    result = runner.c(c_program(FORBIDDEN[call] + '\nputs("survived");\nreturn 0;'))
    assert result.status == Status.RE, result
    assert result.signal == signal.SIGSYS
    assert "SIGSYS" in result.message
    assert b"survived" not in result.stdout


NOT_IMPLEMENTED = {
    "clone into a new user namespace": "syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)",
    "clone into a new pid namespace": "syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0)",
    "clone into a new network namespace": "syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0)",
    "clone3": "syscall(SYS_clone3, NULL, 0)",
    "personality (not listed)": "syscall(SYS_personality, 0xffffffff)",
}


@pytest.mark.parametrize("call", NOT_IMPLEMENTED)
def test_other_system_calls_are_not_implemented(runner: Runner, call: str) -> None:
    body = f"""
    long result = {NOT_IMPLEMENTED[call]};
    printf("%ld %s\\n", result, strerrorname_np(errno));
    return 0;
    """
    result = runner.c(c_program(body))
    assert result.status == Status.OK, result
    assert result.stdout == b"-1 ENOSYS\n"


def test_the_program_has_no_privileges(runner: Runner) -> None:
    body = """
    int result = setuid(0);
    printf("setuid %d %s\\n", result, strerrorname_np(errno));
    int adjust = open("/proc/self/oom_score_adj", O_WRONLY);  /* unkillable by the OOM killer? */
    result = write(adjust, "-1000", 5);
    printf("oom_score_adj %d %s\\n", result, strerrorname_np(errno));
    char status[8192] = {0};
    read(open("/proc/self/status", O_RDONLY), status, sizeof status - 1);
    fputs(status, stdout);
    return 0;
    """
    result = runner.c(c_program(body))
    assert result.status == Status.OK, result
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "setuid -1 EPERM"
    assert lines[1] in ("oom_score_adj -1 EACCES", "oom_score_adj -1 EPERM")
    fields = dict(line.split(":\t", 1) for line in lines[2:] if ":\t" in line)
    assert fields["CapEff"] == fields["CapPrm"] == fields["CapBnd"] == "0000000000000000"
    assert (fields["NoNewPrivs"], fields["Seccomp"]) == ("1", "2")
    assert fields["Uid"].split() == ["1000"] * 4
