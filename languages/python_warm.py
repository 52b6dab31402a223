"""A warm CPython: started in the sandbox before its requests, it becomes `python3 ... script`.

Two modes. As a zygote (sandbox/zygote.py), it serves one request: one
message on fd 3, the working directory then argv, each ended by a NUL byte,
with the program's stdin, stdout and stderr attached; it imports only what
the interpreter has loaded already or builds in, to start as fast as a bare
interpreter. With `--fork-server` (sandbox/forkserver.py) it serves every
run of a submission: it makes itself non-dumpable, imports a few modules of
the standard library that solutions often use, and for each message forks a
process that forks the run, writes its pid on fd 3 and exits. It never runs
a submission's code itself: the run does, in its own process.

This file runs inside the sandbox under the submissions' interpreter:
standard library only, and it must leave as little trace as it can, since
the student's code runs in this very process (or its fork). It runs the
script the way `python3 script.py` does: a fresh `__main__` module, the
script's folder first on sys.path, an uncaught exception printed without
our frames, exit 1. It ends the way the interpreter's shutdown begins
(non-daemon threads joined, atexit functions run, standard streams flushed)
but skips tearing the interpreter down, which takes milliseconds and nothing
can rely on. See languages/README.md for what a fork-started run shares
with a fresh `python3` and what it does not.
"""

import _signal
import _socket
import atexit
import gc
import os
import sys

CHANNEL = 3
STREAMS = 3  # stdin, stdout, stderr
FD_SIZE = 4  # bytes of a file descriptor in SCM_RIGHTS data (a C int)
PR_SET_DUMPABLE = 4
# Imported once by the fork server, so that a run importing them pays nothing.
PRELOADED = ("bisect", "collections", "functools", "heapq", "itertools", "math", "operator")


def receive(channel: _socket.socket) -> tuple[list[str], str, list[int]]:
    """argv, the working directory and the standard streams, from the channel."""
    message, ancillary, _, _ = channel.recvmsg(1 << 20, _socket.CMSG_SPACE(STREAMS * FD_SIZE))
    if not message:  # the sandbox went away before a request came: nothing to run
        os._exit(0)
    fds = [
        int.from_bytes(data[start : start + FD_SIZE], sys.byteorder, signed=True)
        for level, kind, data in ancillary
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS
        for start in range(0, len(data) - FD_SIZE + 1, FD_SIZE)
    ]
    cwd, *argv = os.fsdecode(message).split("\0")[:-1]
    return argv, cwd, fds


def take_streams(fds: list[int]) -> None:
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)


def command_line(argv: list[str]) -> tuple[str, str | None, list[str]]:
    """What follows the interpreter and its options, as the interpreter reads it:
    the file name of the code, the code for `-c` (None: read the script), and sys.argv."""
    for index, item in enumerate(argv[1:], start=1):
        if item == "-c" and index + 1 < len(argv):
            return "<string>", argv[index + 1], ["-c", *argv[index + 2 :]]
        if not item.startswith("-"):
            return os.path.abspath(item), None, argv[index:]
    raise SystemExit(f"python_warm: no script in {argv}")


def exit_status(code: object) -> int:
    """The exit status for `SystemExit(code)`, as the interpreter computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def finish(status: int) -> None:
    """Exit as the interpreter would, without its teardown."""
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._shutdown()  # joins the non-daemon threads
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # the interpreter says "Exception ignored" and exits with 120
            status = status or 120
    os._exit(status)


def run(filename: str, code: str | None) -> int:
    """Run the script `filename` (or `code`) as the __main__ module: its exit status."""
    main = type(sys)("__main__")
    main.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = main
    if code is None:
        main.__file__ = filename
        with open(filename, "rb") as file:
            source: str | bytes = file.read()
    else:
        source = code
    try:
        exec(compile(source, filename, "exec", dont_inherit=True), main.__dict__)
    except SystemExit as exit:
        return exit_status(exit.code)
    except BaseException as error:
        trace = error.__traceback__
        while trace is not None and trace.tb_frame.f_code.co_filename != filename:
            trace = trace.tb_next  # our own frames are not the student's
        sys.excepthook(type(error), error.with_traceback(trace), trace)
        return 1
    return 0


def become(argv: list[str], cwd: str, fds: list[int]) -> None:
    """Become `python3 argv...` in `cwd`, with `fds` as the standard streams."""
    take_streams(fds)
    os.chdir(cwd)
    filename, code, sys.argv = command_line(argv)
    sys.path[0] = "" if code is not None else os.path.dirname(filename)
    finish(run(filename, code))


def prctl() -> int:
    """libc's prctl, through _ctypes (`ctypes` itself takes milliseconds to import)."""
    import _ctypes  # only the fork server needs it

    program = _ctypes.dlopen(None)  # type: ignore[arg-type]  # None: our own symbols
    address: int = _ctypes.dlsym(program, "prctl")
    return address


def set_dumpable(function: int, dumpable: bool) -> None:
    """prctl(PR_SET_DUMPABLE) through libc's `function` (see `prctl`)."""
    import _ctypes  # imported already by `prctl`

    if _ctypes.call_function(function, (PR_SET_DUMPABLE, int(dumpable), 0, 0, 0)) != 0:
        raise OSError("prctl(PR_SET_DUMPABLE) failed")


def start_run(
    channel: _socket.socket, function: int, argv: list[str], cwd: str, fds: list[int],
    reaped: tuple[int, int],
) -> None:
    """In a fork of the server: fork the run, tell its pid, exit (the init adopts the run)."""
    pid = os.fork()
    if pid == 0:
        channel.close()
        wait_orphaned(*reaped)
        os.setsid()
        set_dumpable(function, True)  # a process of its own, like a fresh one
        _signal.pthread_sigmask(_signal.SIG_SETMASK, [])
        # `random`, if imported, was reseeded by os.fork (random registers it): a
        # run never draws the server's sequence, nor another run's.
        become(argv, cwd, fds)
    channel.sendall(f"{pid}\n".encode())
    os._exit(0)


def wait_orphaned(read_end: int, write_end: int) -> None:
    """Wait, in the run, for the end of file that says the middle process is reaped.

    Its parent is then the init and /proc holds no middle process, as for a fresh run.
    """
    os.close(write_end)
    os.read(read_end, 1)  # the server closes the last write end once it reaped the middle
    os.close(read_end)


def serve() -> None:
    """The fork server: a run forked for each request, until the channel closes."""
    address = prctl()
    set_dumpable(address, False)  # the runs share our uid: our memory and fds are out of reach
    for name in PRELOADED:
        __import__(name)
    gc.collect()
    gc.freeze()  # what we hold is never collected in a run: fewer pages copied after fork
    # A run may signal us (same uid): blocked, nothing reaches us but SIGKILL or
    # SIGSTOP, which the init notices.
    _signal.pthread_sigmask(_signal.SIG_BLOCK, _signal.valid_signals())
    channel = _socket.socket(fileno=CHANNEL)
    while True:
        argv, cwd, fds = receive(channel)
        reaped = os.pipe()
        middle = os.fork()
        if middle == 0:
            start_run(channel, address, argv, cwd, fds, reaped)
        for fd in (*fds, reaped[0]):
            os.close(fd)
        os.waitpid(middle, 0)
        os.close(reaped[1])


def main() -> None:
    if sys.argv[1:] == ["--fork-server"]:
        serve()
    channel = _socket.socket(fileno=CHANNEL)
    argv, cwd, fds = receive(channel)
    channel.close()
    become(argv, cwd, fds)


main()
