"""The whole program compiled ahead, in the background, while the interpreter runs it.

A program's first ``run`` (nothing in the program cache) would otherwise spend its
first 0.3-1 s interpreting, 130-180x slower than compiled code, until counters make its
hot code worth compiling in this process. Instead a child process compiles the whole
program at tier 2, exactly as ``run --tier=2 FILE`` does (ruchy -O2, LLVM O3, linked
with the runtime), and stores it in the program cache under that command's key. The
interpreter runs meanwhile, on the other core. When the code is ready, the next
checkpoint (a counted call, or a loop's OSR check: runtime.py) *switches*: the compiled
program runs from its start, and everything it writes that the interpreter wrote
already (the first N bytes of stdout and M of stderr: ``rt_skip`` in codegen/rt/core.ll)
is not written again. This is replay, not state transfer: a program that compiles whole
does nothing but compute and print (compiled code has no input, no files, no clock, no
environment), so running it again from the start reaches the same state and prints the
same bytes, and re-running the interpreted prefix costs 1/150 of the time the
interpreter spent on it. Errors are the compiled program's, which are tier 0's by
construction (the same message at the same place, a stack overflow at the same depth);
output printed before the switch is never lost or doubled.

When (docs/jit.md "Compiling ahead"): the child is started at the very start of the
run, before the front end is imported (:func:`prestart`, from launch.py), for a program
whose text has a loop or a function (one with neither runs through once and is never
worth compiling). It imports the compiler and LLVM while this process imports the
parser and parses; the parsed program then reaches it through a pipe (pickled), so its
compile starts with the compiler's imports done, about when ``run --tier=2`` would only
start importing it. Until the run has spent ``ahead`` seconds of CPU after parsing (a
short script never does), the child's session (its own) has the least share of the CPU
there is, so that it takes only CPU time that others leave (the other core of a quiet
machine); then (:meth:`Background.go`) it gets an ordinary share, and once the program
has run YIELD_AFTER seconds on a busy machine (more runnable threads than CPUs), the
interpreter, whose work the switch throws away, yields to it at its checkpoints.
While the child compiles, the tiered runtime compiles nothing in this process (its work
would be thrown away at the switch, and it would take the CPU the child needs); when
the child finds that the program does not compile whole (Level 3 parts that tier 2
runs interpreted), the tiered runtime takes over as before, and a marker stops later
runs from trying again (remember.py's). A run that ends first kills the child. A
switched run marks the program as remembered (remember.py): its later runs start from
the cached code.

Why a process, not a thread: our own passes are Python and hold the GIL, so a compile
thread would slow the interpreter down by as much as it works; and a runtime error in
compiled code ends the process through C's ``exit``, whose C++ static destructors tear
LLVM down under any other thread that is inside it (the crash an earlier attempt at
assembling objects on a second thread met). So none of its LLVM work runs here: the
child does it in its own address space, and the run only loads the finished shared
object, on its own thread, once the interpreter has stopped. The child needs no care at
exit: it is killed (with the linker it may be running: its own session and process
group) when the run ends first.

Standard library only here (launch.py imports it before the front end); the child
imports the compiler.
"""
from __future__ import annotations

import os
import sys
import time

from ..codegen import progcache

# Type names only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

AHEAD_ENV = "RUCHY_OPT_JIT_AHEAD"
#: the most events (calls, loop iterations) between two looks at the child at one
#: checkpoint while it compiles
CHECK_EVERY = 4096
#: events before the second look at a checkpoint; then as many as take about POLL
#: seconds of interpreting there (:meth:`Background.next_check`)
FIRST_CHECK = 64
POLL = 0.001
#: seconds the interpreter yields to the compile at a time on a busy machine, once the
#: program has run YIELD_AFTER seconds of CPU in the interpreter: one that ran that long
#: in the interpreter is as likely to run past the compile as not (the compiles of the
#: benchmarks take 0.1-1 s), and one that ends sooner is never held up
YIELD = 0.01
YIELD_AFTER = 0.1
#: the words of a program that may run long: a loop, or a function (recursion)
_LONG_WORDS = ("while", "for", "loop", "fun")
#: pipe capacity asked for the parsed program (Linux's default limit for a user)
_FEED_BYTES = 1 << 20
#: the nice value of the child's session until the run has spent ``ahead`` seconds
#: (:func:`_child`; Linux's autogroup: the share of the CPU of a session)
_WEAK = 19


class Handover(BaseException):
    """Raised on the interpreter's thread once the compiled program has run the whole
    program: it unwinds the interpreted frames (generated code catches nothing that is
    not an Exception). ``status`` is the run's exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _allowed() -> bool:
    """What the environment and the platform allow: ``RUCHY_OPT_JIT_AHEAD=0``,
    ``RUCHY_OPT_JIT_SCALE`` (the tiered runtime's own experiments) and no cache on disk
    turn the compile ahead off; it needs ``posix_spawn``."""
    if os.environ.get(AHEAD_ENV, "1") == "0" or os.environ.get("RUCHY_OPT_JIT_SCALE"):
        return False
    if not hasattr(os, "posix_spawn"):
        return False
    return progcache.cache_dir() is not None


def may_run_long(text: str) -> bool:
    """Whether a program's text has a loop or a function. One with neither runs through
    once, so compiling it could never pay. A substring test (it runs before the
    parser is imported): a comment or a longer word that contains one of the words
    only starts a compile that is killed at the end of the run."""
    return any(w in text for w in _LONG_WORDS)


def wanted(args: Any, policy: Any) -> bool:
    """Whether this auto run compiles ahead: on by default for a plain run whose cache
    is on disk (``RUCHY_OPT_JIT_AHEAD=wait``: the first checkpoint waits for the
    result, for tests); off with ``RUCHY_OPT_JIT_AHEAD=0``, for runs that set promotion
    thresholds (``--jit-*``, ``RUCHY_OPT_JIT_SCALE``: experiments with the tiered
    runtime itself), instrumentation or passes, and where there is no ``posix_spawn``."""
    if policy.ahead is None or not _allowed():
        return False
    if getattr(args, "no_cache", False) or getattr(args, "dump_cfg", None):
        return False
    from .remember import POLICY_OPTIONS
    if any(getattr(args, o, None) is not None for o in POLICY_OPTIONS):
        return False
    from types import SimpleNamespace  # --verbose only logs, as --jit-log does
    quiet = SimpleNamespace(**{**vars(args), "verbose": False})
    return progcache.options_of(quiet) == progcache.DEFAULT_OPTIONS


#: the CPUs this process may run on
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
    (os.cpu_count() or 1)


def _busy() -> bool:
    """Whether more threads are runnable on the machine than there are CPUs (Linux's
    /proc/loadavg, now, this thread included): then the interpreter and the compile
    would share a CPU, and the interpreter, whose work the switch throws away, yields."""
    try:
        with open("/proc/loadavg", "rb") as f:
            running = int(f.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return False
    return running > _CPUS


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


# ---- the child started at the start of the run --------------------------------------------

class _Early:
    """A child started by :func:`prestart`, waiting for the parsed program on ``feed``."""

    def __init__(self, name: str, text: str, key: str, pid: int, status: int,
                 feed: int) -> None:
        self.name, self.text, self.key = name, text, key
        self.pid, self.status, self.feed = pid, status, feed
        self.started = time.perf_counter()


_early: Optional[_Early] = None


def prestart_file(path: str) -> None:
    """launch.py, for a plain ``run FILE`` that no remembered program served: the
    child started now, before the front end is imported (:func:`prestart`). The text is
    read as cli.py reads it, so that the run finds the child for its own source."""
    if not _allowed():
        return
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return  # cli.main reports it
    prestart(path, text)


def prestart(name: str, text: str) -> None:
    """Start the child that compiles the program ``name`` (``text``), if the compile
    ahead is allowed here and the program may run long. It imports the compiler and
    LLVM at once, then waits for the program this process parses (:meth:`Background.
    adopt`), or for the end of the feed (the run ended or did not start).

    A fresh interpreter (``posix_spawn``, :func:`_spawned`), not a fork: a forked child
    shares this process's pages until one of the two writes them, and Python writes
    nearly every page it touches (reference counts), so after a fork the run paid a
    copy-on-write fault for each page of its start-up heap it touched again, ~15 ms of
    a short script's ~120 ms under load; the child's own start (~15 ms of Python) is
    spent on the other core, while the run imports the parser."""
    global _early
    if _early is not None or not may_run_long(text) or not _allowed():
        return
    from .remember import NO, marker_answer, program_key
    key = program_key(name, text)
    if marker_answer(key) == NO:  # an earlier run found it does not compile
        return
    st_r, st_w = os.pipe()
    feed_r, feed_w = os.pipe()
    try:  # room for the pickled program, so that sending it seldom waits (Linux)
        import fcntl
        fcntl.fcntl(feed_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), _FEED_BYTES)
    except (OSError, ImportError):
        pass
    # the child's ends, inherited through exec (every other descriptor is not: PEP 446)
    os.set_inheritable(st_w, True)
    os.set_inheritable(feed_r, True)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # -I: neither the environment's PYTHONPATH nor the working directory may make the
    # child import another ruchy_opt than this one (whose key it compiles for)
    code = (f"import sys; sys.path.insert(0, {root!r}); "
            "from ruchy_opt.jit.background import _spawned; _spawned()")
    null = os.devnull
    actions = [(os.POSIX_SPAWN_OPEN, 0, null, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, null, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, null, os.O_WRONLY, 0)]
    try:
        pid = os.posix_spawn(sys.executable,
                             [sys.executable, "-I", "-c", code, key, str(os.getpid()),
                              str(st_w), str(feed_r)],
                             os.environ, file_actions=actions, setsid=True)
    except (OSError, ValueError, TypeError):
        pid = 0
    os.close(st_w)
    os.close(feed_r)
    if not pid:
        os.close(st_r)
        os.close(feed_w)
        return
    # its session (setsid, before exec) gets the least share of the CPU until go()
    _session_nice(str(pid), _WEAK)
    os.set_blocking(st_r, False)
    _early = _Early(name, text, key, pid, st_r, feed_w)
    import atexit
    atexit.register(discard_early)


def discard_early() -> None:
    """Kill the child started at the start if no run took it (cli.main refused the
    command, the program did not parse, ...)."""
    global _early
    e, _early = _early, None
    if e is not None:
        _kill(e.pid)
        for fd in (e.status, e.feed):
            try:
                os.close(fd)
            except OSError:
                pass


#: children killed but not yet reaped (:func:`_kill`), reaped at exit
_dying: list[int] = []


def _kill(pid: int) -> None:
    """End the child and its process group (a linker). Reaped now if it is gone
    already, else at exit (:func:`_reap`): a run does not wait while the kernel tears
    down a process that was importing or compiling (1-6 ms)."""
    import signal
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        done = os.waitpid(pid, os.WNOHANG)[0] == pid
    except OSError:
        done = True
    if done:
        _remove_tmp(pid)
        return
    if not _dying:
        import atexit
        atexit.register(_reap)
    _dying.append(pid)


def _reap() -> None:
    """At exit: wait for the killed children (gone by now, as a rule) and remove their
    scratch directories."""
    while _dying:
        pid = _dying.pop()
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        _remove_tmp(pid)


def _feed(fd: int, name: str, text: str, prog: Any) -> None:
    """Send the program to the child: ``P``, then the pickle of its name and text and
    that of its parsed tree, each after its length (an empty tree when it does not
    pickle: the child parses the text). A message larger than the pipe is written by a
    thread of its own, so that the run does not wait for the child to read it."""
    import pickle
    source = pickle.dumps((name, text), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        tree = pickle.dumps(prog, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - anything unpicklable: the child parses
        tree = b""
    msg = b"".join((b"P", len(source).to_bytes(8, "little"), source,
                    len(tree).to_bytes(8, "little"), tree))

    def write() -> None:
        try:
            view = memoryview(msg)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass
        try:
            os.close(fd)
        except OSError:
            pass
    room = 1 << 16
    try:
        import fcntl
        room = fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", 1032))
    except (OSError, ImportError):
        pass
    if len(msg) <= room:
        write()
    else:
        import threading
        threading.Thread(target=write, name="ruchy-feed", daemon=True).start()


class Background:
    """The compile ahead, seen from the run (module docstring): "waiting" (for the
    child, or for the delay to pass), "ready" (its code is in the program cache), "off"
    (no code is coming)."""

    def __init__(self, src: Any, log: Any, delay: float) -> None:
        self.src = src
        self.log = log
        self.key = ""
        self.pid = 0
        self.status = -1           # the pipe the child says its result on
        self.buffer = b""
        self.state = "waiting"
        self.started = time.perf_counter()
        #: RUCHY_OPT_JIT_AHEAD=wait: the first checkpoint waits for the result, so that
        #: the switch happens at a known place (tests)
        self.wait = os.environ.get(AHEAD_ENV) == "wait"
        #: the run's CPU after parsing (on its own thread's clock, so that a busy
        #: machine does not make it shorter: translation and program) after which the
        #: child gets an ordinary share of the CPU (:meth:`go`)
        self.delay = 0.0 if self.wait else delay
        self.cpu0 = time.thread_time()
        self.go_at = self.cpu0 + self.delay
        #: the run thread's CPU time when the program started (:meth:`begin`)
        self.run0: Optional[float] = None
        self.gone = False          # go() was called
        self.counts = [0, 0]       # bytes the interpreter wrote to stdout, stderr
        self.switched = False
        #: checkpoint -> (events until its next look, when it last looked)
        self._pace: dict[Any, tuple[int, float]] = {}

    def adopt(self, prog: Any) -> None:
        """Take the child :func:`prestart` started for this very program (or start it
        now), and send it the parsed program; state "off" if there is none."""
        global _early
        e = _early
        if e is None or (e.name, e.text) != (self.src.name, self.src.text):
            discard_early()  # another program's (cannot happen but by a caller's bug)
            prestart(self.src.name, self.src.text)
            e = _early
        if e is None:  # it may not run long, or is known not to compile
            self.state = "off"
            return
        _early = None
        self.key, self.pid, self.status = e.key, e.pid, e.status
        if self.wait:
            os.set_blocking(self.status, True)
        _feed(e.feed, self.src.name, self.src.text, prog)
        self.log("background", f"{self.src.name}: compiling the whole program at tier 2 "
                               f"in process {e.pid}, started "
                               f"{(self.started - e.started) * 1000:.0f} ms before parsing "
                               "ended (it imported the compiler meanwhile); the "
                               "interpreter runs meanwhile")
        if self.delay <= 0:
            self.go()

    def begin(self) -> None:
        """The program starts running (translated: runtime.attach); YIELD_AFTER counts
        from here: the translation of a long program (0.1 s and more) is no sign that
        the program runs long."""
        self.run0 = time.thread_time()

    def go(self) -> None:
        """The run has spent ``delay`` seconds of CPU: the child's session gets a
        share of the CPU like any other (:func:`_child`), where until now it took only
        what other sessions left. Done from here, so that it holds at once, however
        little CPU the child gets."""
        self.gone = True
        if self.pid:
            _session_nice(str(self.pid), 0)

    # ---- looking at the child ---------------------------------------------------------------

    def next_check(self, where: Any) -> int:
        """Events (calls, iterations) until checkpoint ``where`` looks at the child
        again: as many as took about POLL seconds there last time (at most CHECK_EVERY),
        so that a switch waits about a millisecond whatever the checkpoint counts,
        for a look (a ``read`` of a pipe) every millisecond or so."""
        now = time.perf_counter()
        n, last = self._pace.get(where, (FIRST_CHECK, 0.0))
        if last:
            n = max(1, min(CHECK_EVERY, round(n * POLL / max(now - last, 1e-6))))
        self._pace[where] = (n, now)
        return n

    def poll(self) -> str:
        """The state, after reading what the child said since the last look (and
        telling it to go once the delay has passed)."""
        if self.state != "waiting":
            return self.state
        if not self.gone and time.thread_time() >= self.go_at:
            self.go()
        while True:
            try:
                data = os.read(self.status, 4096)
            except BlockingIOError:
                if self.gone and self.run0 is not None and \
                        time.thread_time() - self.run0 >= YIELD_AFTER and _busy():
                    # the interpreter would take CPU time the compile needs: wait
                    import select
                    select.select([self.status], [], [], YIELD)
                    continue
                return self.state
            except OSError:
                data = b""
            if not data:  # the child is gone without a word: killed, or a crash
                self._off("the background compile ended without a result")
                return self.state
            self.buffer += data
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                self._said(line.decode("utf-8", "replace"))
            if self.state != "waiting" or not self.wait:
                return self.state

    def _said(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == "ready":
            self.state = "ready"
            ms = (time.perf_counter() - self.started) * 1000
            self.log("background", f"{self.src.name}: compiled whole at tier 2 "
                                   f"({rest}), seen {ms:.0f} ms after parsing; "
                                   "switching at the next call or loop iteration")
        elif word == "no":
            self._off(f"the program does not compile whole ({rest}); the tiered "
                      "runtime promotes what gets hot")

    def _off(self, why: str) -> None:
        if self.state == "waiting":
            self.log("background", f"{self.src.name}: {why}")
        self.state = "off"
        self.stop()

    def stop(self) -> None:
        """End the child (and the linker it may be running) if it still runs; reap it.
        Never waits for a compile."""
        if not self.pid:
            return
        pid, self.pid = self.pid, 0
        _kill(pid)
        try:
            os.close(self.status)
        except OSError:
            pass

    # ---- the interpreter's side ----------------------------------------------------------

    def writers(self, out: Any) -> dict[str, Callable[[str], None]]:
        """``_w``/``_ew`` for tier 0 (interp/runner.py) that count the bytes written."""
        counts = self.counts
        write = out.write
        err = sys.stderr

        def w(text: str) -> None:
            write(text)
            counts[0] += _utf8_len(text)

        def ew(text: str) -> None:
            out.flush()
            err.write(text)
            counts[1] += _utf8_len(text)
        return {"_w": w, "_ew": ew}

    def switch(self, where: str, remember: bool) -> None:
        """Run the compiled program from its start in place of the rest of the
        interpreted run (raises Handover), or, if its shared object cannot be loaded
        (discarded by its seal), stay interpreted (returns, state "off")."""
        # The interpreter's heap is garbage from here on, or kept as it is: never walk
        # it again (a collection that an import below set off took 80 ms of matmul's
        # switch, with its three arrays of a million floats).
        import gc
        gc.freeze()
        from ..codegen.cachefile import release
        import ctypes
        self.stop()
        path = progcache.open_library(self.key)
        lib = None
        if path is not None:
            try:
                lib = ctypes.CDLL(path)
                skip = (ctypes.c_int64 * 2).in_dll(lib, "rt_skip")
                entry = ctypes.cast(lib.ruchy_run, ctypes.c_void_p).value
            except (OSError, AttributeError, ValueError):
                lib = None
            finally:
                release(path)
        if lib is None:  # discarded by its seal (said under --jit-log), or not loadable
            self.state = "off"
            self.log("background", f"{self.src.name}: the compiled program could not be "
                                   "loaded; the tiered runtime promotes what gets hot")
            return
        sys.stdout.flush()
        sys.stderr.flush()
        skip[0], skip[1] = self.counts
        ms = (time.perf_counter() - self.started) * 1000
        self.log("switch", f"at {where}, {ms:.0f} ms after parsing: the whole program "
                           f"runs compiled from its start ({self.key}.so), not writing "
                           f"again the {self.counts[0]} bytes of stdout and "
                           f"{self.counts[1]} of stderr the interpreter wrote")
        self.switched = True
        from ..codegen import native
        native._LOADED.append(lib)  # its code stays mapped
        if remember:
            from .remember import YES, write_marker
            write_marker(self.key, YES)
        raise Handover(native.run_address(entry))


def early(src: Any, args: Any, policy: Any) -> None:
    """auto.py, before parsing: the child started now when this run compiles ahead and
    launch.py did not start it (the run has options, or did not come through
    launch.py)."""
    if _early is None and wanted(args, policy):
        prestart(src.name, src.text)


def start(src: Any, args: Any, policy: Any, log: Any, prog: Any) -> Optional[Background]:
    """The compile ahead of this run (``prog``: the program, parsed): the child started
    at the start takes the program now. None when not wanted, or when there is no
    child (the program may not run long, or is known not to compile whole)."""
    if not wanted(args, policy):
        discard_early()
        return None
    bg = Background(src, log, policy.ahead)
    bg.adopt(prog)
    return None if bg.state == "off" else bg


# ---- the child ------------------------------------------------------------------------

def _tmp_dir(pid: int) -> str:
    import tempfile
    return os.path.join(tempfile.gettempdir(), f"ruchy-opt-ahead-{pid}")


def _remove_tmp(pid: int) -> None:
    """The linker's scratch directory of a child killed while linking."""
    d = _tmp_dir(pid)
    if os.path.isdir(d):
        import shutil
        shutil.rmtree(d, ignore_errors=True)


def _read_exactly(fd: int, n: int) -> Optional[bytes]:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, min(n - got, 1 << 20))
        if not b:
            return None
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _receive(feed: int) -> Optional[tuple[str, str, Any]]:
    """The program's name, text and parsed tree (None: parse the text) from the run's
    feed (:func:`_feed`); None at the end of the feed before a whole message: the run
    is over."""
    if _read_exactly(feed, 1) != b"P":
        return None
    parts = []
    for _ in range(2):
        size = _read_exactly(feed, 8)
        data = _read_exactly(feed, int.from_bytes(size, "little")) if size else None
        if data is None:
            return None
        parts.append(data)
    import pickle
    name, text = pickle.loads(parts[0])
    try:
        tree = pickle.loads(parts[1]) if parts[1] else None
    except Exception:  # noqa: BLE001 - a tree that does not load: parse the text
        tree = None
    return name, text, tree


def _session_nice(pid: str, nice: int) -> None:
    """Set the nice value of a process's session (``pid``: a number or ``self``) where
    the scheduler shares the CPU between sessions first (Linux's autogroup: any value
    from 0 up may be set by the process's owner, so the run can undo the child's 19).
    Elsewhere nothing happens: the child competes as an ordinary process."""
    try:
        with open(f"/proc/{pid}/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass


def _import_ahead() -> None:
    """What a compile needs besides the program, while the run parses it: the modules
    that the compiler imports only when it first runs (lowering, the ruchy passes, the
    code generator: ~12 ms), the target machine and the runtime library (LLVM)."""
    from ..codegen import engine
    from ..codegen import module, tier2  # noqa: F401
    from ..codegen.rtcache import runtime_object
    from ..ir import verify  # noqa: F401
    from ..lower import lower_program  # noqa: F401
    from ..passmgr import cloning, driver  # noqa: F401
    engine.target_machine(opt=3, jit=False)
    runtime_object(jit=False)


def _spawned() -> None:
    """The child's entry (:func:`prestart`: ``python -I -c ... KEY PARENT STATUS
    FEED``): :func:`_child`, then out without Python's clean-up."""
    try:
        key, parent, status, feed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
            int(sys.argv[4])
        _child(key, parent, status, feed)
    finally:
        os._exit(0)


def _child(key: str, parent: int, status: int, feed: int) -> None:
    """Compile the program whole at tier 2 into the program cache under ``key``
    (unless it is there), and say ``ready`` or ``no REASON`` on ``status``: import
    the compiler first, then take the program, parsed, from ``feed``. The run kills it
    when it ends first.

    It has a session of its own (``setsid``, :func:`prestart`): a process group (the
    linker included: killed together), and, where the scheduler shares the CPU between
    sessions first (Linux's autogroup), a share of the CPU of its own: on a busy machine
    the interpreter running meanwhile would otherwise take the compile's share, and the
    run would finish later than ``run --tier=2`` does. Until the run has spent ``ahead``
    seconds after parsing (a short script never does) the run keeps that share the
    least (nice 19: 1.5% of another session's), so that the child takes only CPU time
    that other sessions leave, the other core of a quiet machine (Background.go)."""
    try:  # Linux: die with the thread that started this, whatever ends it
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        return

    def say(line: str) -> None:
        os.write(status, (line + "\n").encode())

    if progcache.has_library(key):
        say("ready from the program cache")
        return
    from types import SimpleNamespace
    from ..codegen.compiler import compile_source
    from ..codegen.jit import link_shared
    from ..codegen.options import compile_options
    from ..errors import SourceFile
    from .remember import NO, write_marker
    from ..syntax import ast  # noqa: F401 - the tree's classes, for unpickling
    _import_ahead()
    got = _receive(feed)
    os.close(feed)
    if got is None:
        return
    name, text, tree = got
    import tempfile
    tmp = _tmp_dir(os.getpid())
    _remove_tmp(os.getpid())  # a stale one, of an earlier process of this id
    os.mkdir(tmp, 0o700)
    tempfile.tempdir = tmp  # the linker's scratch files: removed if we are killed
    t0 = time.perf_counter()
    try:
        c = compile_source(SourceFile(name, text), compile_options(SimpleNamespace(), 2),
                           tree)
    except Exception as e:  # noqa: BLE001 - NotCompilable (parts tier 2 interprets)
        # or a compiler bug: the tiered runtime runs the program as before, and
        # later runs do not try again (remember.py's marker, as its compile does)
        reasons = getattr(e, "reasons", None) or [getattr(e, "message", None) or
                                                  f"{type(e).__name__}: {e}"]
        write_marker(key, NO)
        say("no " + str(reasons[0]).strip().replace("\n", " ")[:300])
        return
    t1 = time.perf_counter()
    so = link_shared(c)
    if so is None or not progcache.store_library(key, so):
        say("no no C compiler to link it with, or the cache is not writable")
        return
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
    say(f"ready compiled in {(t1 - t0) * 1000:.0f} ms, linked in "
        f"{(time.perf_counter() - t1) * 1000:.0f} ms")
