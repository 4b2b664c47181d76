"""Running compiled machine code in this process: the program's entry on a thread with
a 1 GiB stack, or in a forked child when Python's output streams are not file
descriptors 1 and 2. Standard library only, so that a run from the program cache
(progcache.py) imports neither llvmlite nor the front end.

The stack is reserved, not committed: recursion as deep as the language allows must fit
whatever the frame size (unoptimised frames are large), and deeper recursion is the
`stack overflow` error raised by compiled code. A runtime error in compiled code prints
its diagnostic and ends the process with status 1, after flushing what Python and the
program printed, in order.

Compiled code writes to file descriptors 1 and 2 through C's stdio. When Python's
``sys.stdout``/``sys.stderr`` are not those descriptors (the program is run from a test
or an embedding application that captures output), the program runs in a forked child
whose output is piped back into the Python streams, and its exit status returned: the
caller sees the same bytes and status, and an error never ends the caller's process.
"""
from __future__ import annotations

import _thread
import io
import os
import sys

# Type names only: typing and threading cost more to import (~20 ms) than a warm run of a
# cached program spends on everything else, so this module uses neither at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Optional

STACK_BYTES = 1 << 30
#: how often a thread waiting for compiled code wakes to run Python's signal handlers
WAKE_SECONDS = 0.05


def _run_entry(address: int) -> None:
    """Call the entry on a new thread with a big stack and wait for it to return."""
    import ctypes  # here, not at the top: the tiered runtime imports this module for
    # redirected() on every run, and a script that never gets hot never needs ctypes
    entry = ctypes.CFUNCTYPE(None)(address)
    done = _thread.allocate_lock()
    done.acquire()

    def body() -> None:
        try:
            entry()
        finally:
            done.release()

    old = _thread.stack_size(STACK_BYTES)
    try:  # (a Ctrl-C as early as the thread's start ends the run as well)
        try:
            _thread.start_new_thread(body, ())
        finally:
            _thread.stack_size(old)
        # a timed wait, woken often: under load an untimed wait here missed a SIGINT
        # sent while compiled code ran (3 runs in 40 hung; tests/test_reliability_signals)
        while not done.acquire(timeout=WAKE_SECONDS):
            pass
    except KeyboardInterrupt:
        interrupted()


def interrupted() -> None:
    """Ctrl-C while compiled code runs on its own thread, which nothing can stop: end
    the process as an interrupted interpreted run ends, with status 130 and no
    traceback. C's ``exit`` flushes what the compiled code printed; Python's streams
    are flushed first."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    import ctypes
    ctypes.CDLL(None).exit(130)
    os._exit(130)  # (exit does not return)


def redirected() -> bool:
    """Whether Python's output streams are not file descriptors 1 and 2 (a test or an
    embedding application captures them), so native code's output must be piped."""
    try:
        return sys.stdout.fileno() != 1 or sys.stderr.fileno() != 2
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return True


def run_address(address: int) -> int:
    """Run the entry ``void ruchy_run(void)`` at ``address``; its exit status (0 unless
    it failed in a forked child: in this process a failure exits with status 1)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if redirected() and hasattr(os, "fork"):
        return run_in_child(lambda: (_run_entry(address), 0)[1], "compiled code")
    _run_entry(address)
    return 0


def run_in_child(body: "Callable[[], int]", what: str) -> int:
    """Run ``body`` in a forked child whose descriptors 1 and 2 are pipes, copy what it
    wrote into this process's ``sys.stdout``/``sys.stderr``, and return its exit status:
    ``body``'s result (1 if it raised; 3 if a signal killed ``what``). The child leaves
    with ``os._exit``, without Python's clean-up."""
    import selectors
    sys.stdout.flush()
    sys.stderr.flush()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(out_r)
            os.close(err_r)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            status = body()
        finally:
            os._exit(status)
    os.close(out_w)
    os.close(err_w)
    chunks = {out_r: bytearray(), err_r: bytearray()}
    sel = selectors.DefaultSelector()
    for fd in chunks:
        sel.register(fd, selectors.EVENT_READ)
    while sel.get_map():
        for key, _ in sel.select():
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd] += data
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(chunks[out_r].decode("utf-8", "replace"))
    sys.stderr.write(chunks[err_r].decode("utf-8", "replace"))
    if os.WIFSIGNALED(status):
        sys.stderr.write(f"ruchy-opt: internal error: {what} was killed by signal "
                         f"{os.WTERMSIG(status)}\n")
        return 3
    return os.WEXITSTATUS(status)


#: shared objects loaded by this process: kept so that their code stays mapped
_LOADED: list = []


def library_entry(path: str, entry: str = "ruchy_run") -> int:
    """Load a program linked as a shared object (a path from cachefile.loadable is
    released once mapped); the address of its entry (raises OSError or AttributeError
    when the file is not such an object)."""
    import ctypes
    from .cachefile import release
    try:
        lib = ctypes.CDLL(path)
    finally:
        release(path)
    _LOADED.append(lib)
    return ctypes.cast(getattr(lib, entry), ctypes.c_void_p).value


def run_cached_library(path: str) -> "Optional[int]":
    """Run a cached program's shared object; its exit status, or None when the file
    cannot be loaded (damaged or foreign: the caller compiles again)."""
    try:
        address = library_entry(path)
    except (OSError, AttributeError):
        return None
    return run_address(address)


def run_library(path: str) -> int:
    """Load a program linked as a shared object and run it."""
    return run_address(library_entry(path))
