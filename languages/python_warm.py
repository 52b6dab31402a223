"""A warm CPython: started in the sandbox before its request, it becomes `python3 ... script`.

The sandbox's zygote protocol (sandbox/zygote.py): one message on fd 3, the
working directory then argv, each ended by a NUL byte, with the program's
stdin, stdout and stderr attached. It imports only what the interpreter has
loaded already or builds in, to start as fast as a bare interpreter. This
file runs inside the sandbox under the submissions' interpreter: standard
library only, and it must leave as little trace as it can, since the
student's code runs in this very process. It runs the script the way
`python3 script.py` does: a fresh `__main__` module, the script's folder
first on sys.path, an uncaught exception printed without our frames, exit 1.
It ends the way the interpreter's shutdown begins (non-daemon threads joined,
atexit functions run, standard streams flushed) but skips tearing the
interpreter down, which takes milliseconds and nothing can rely on.
"""

import _socket
import atexit
import os
import sys

CHANNEL = 3
STREAMS = 3  # stdin, stdout, stderr
FD_SIZE = 4  # bytes of a file descriptor in SCM_RIGHTS data (a C int)


def receive() -> tuple[list[str], str, list[int]]:
    """argv, the working directory and the standard streams, from the channel."""
    channel = _socket.socket(fileno=CHANNEL)
    message, ancillary, _, _ = channel.recvmsg(1 << 20, _socket.CMSG_SPACE(STREAMS * FD_SIZE))
    channel.close()
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


def script_and_arguments(argv: list[str]) -> list[str]:
    """What follows the interpreter and its options: the script, then its arguments."""
    for index, item in enumerate(argv[1:], start=1):
        if not item.startswith("-"):
            return argv[index:]
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


def run(path: str) -> int:
    """Run `path` as the __main__ module, as the interpreter runs a script: its exit status."""
    main = type(sys)("__main__")
    main.__file__ = path
    main.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = main
    with open(path, "rb") as file:
        source = file.read()
    try:
        exec(compile(source, path, "exec", dont_inherit=True), main.__dict__)
    except SystemExit as exit:
        return exit_status(exit.code)
    except BaseException as error:
        trace = error.__traceback__
        while trace is not None and trace.tb_frame.f_code.co_filename != path:
            trace = trace.tb_next  # our own frames are not the student's
        sys.excepthook(type(error), error.with_traceback(trace), trace)
        return 1
    return 0


def main() -> None:
    argv, cwd, fds = receive()
    take_streams(fds)
    os.chdir(cwd)
    sys.argv = script_and_arguments(argv)
    path = os.path.abspath(sys.argv[0])
    sys.path[0] = os.path.dirname(path)
    finish(run(path))


main()
