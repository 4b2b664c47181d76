"""The whole program compiled ahead, in the background, while the interpreter runs it.

A program's first ``run`` (nothing in the program cache) would otherwise spend its
first 0.3-1 s interpreting, 130-180x slower than compiled code, until counters make its
hot code worth compiling in this process. Instead a forked child compiles the whole
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

When (docs/jit.md "Compiling ahead"): by default the child is forked at the very start
of the run, before the front end is imported (:func:`prestart`, from launch.py), for a
program whose text has a loop or a function (one with neither runs through once and is
never worth compiling). It imports the compiler and LLVM while this process imports the
parser and parses; the parsed program then reaches it through a pipe (pickled), so
compiling starts about when ``run --tier=2`` would start it, with the imports of the
compiler already done. ``--jit-ahead=SECONDS`` forks it instead once the program has
taken that much CPU (from the run's thread, at a checkpoint; the child parses again).
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
#: the words of a program that may run long: a loop, or a function (recursion)
_LONG_WORDS = ("while", "for", "loop", "fun")
#: pipe capacity asked for the parsed program (Linux's default limit for a user)
_FEED_BYTES = 1 << 20


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
    turn the compile ahead off; it needs ``fork``."""
    if os.environ.get(AHEAD_ENV, "1") == "0" or os.environ.get("RUCHY_OPT_JIT_SCALE"):
        return False
    if not hasattr(os, "fork") or not hasattr(os, "setsid"):
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
    runtime itself), instrumentation or passes, and where there is no ``fork``."""
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


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


# ---- the child forked at the start of the run ---------------------------------------------

class _Early:
    """A child forked by :func:`prestart`, waiting for the parsed program on ``feed``."""

    def __init__(self, name: str, text: str, key: str, pid: int, status: int,
                 feed: int) -> None:
        self.name, self.text, self.key = name, text, key
        self.pid, self.status, self.feed = pid, status, feed
        self.forked = time.perf_counter()


_early: Optional[_Early] = None


def prestart_file(path: str) -> None:
    """launch.py, for a plain ``run FILE`` that no remembered program served: the
    child forked now, before the front end is imported (:func:`prestart`). The text is
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
    """Fork the child that compiles the program ``name`` (``text``), if the compile
    ahead is allowed here and the program may run long. It imports the compiler and
    LLVM at once, then waits for the program this process parses (:meth:`Background.
    adopt`), or for the end of the feed (the run ended or did not start). Called with
    no other thread running but one that waits for this one (launch.py; auto.py on the
    run's thread)."""
    global _early
    if _early is not None or not may_run_long(text) or not _allowed():
        return
    from .remember import NO, marker_answer, program_key
    key = program_key(name, text)
    if marker_answer(key) == NO:  # an earlier run found it does not compile
        return
    st_r, st_w = os.pipe()
    feed_r, feed_w = os.pipe()
    try:  # room for the pickled program, so that sending it never waits (Linux)
        import fcntl
        fcntl.fcntl(feed_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), _FEED_BYTES)
    except (OSError, ImportError):
        pass
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        for fd in (st_r, st_w, feed_r, feed_w):
            os.close(fd)
        return
    if pid == 0:  # the child: never returns
        try:
            os.close(st_r)
            os.close(feed_w)
            _child(name, text, key, st_w, feed_r)
        finally:
            os._exit(0)
    os.close(st_w)
    os.close(feed_r)
    os.set_blocking(st_r, False)
    _early = _Early(name, text, key, pid, st_r, feed_w)
    import atexit
    atexit.register(discard_early)


def discard_early() -> None:
    """Kill the child forked at the start if no run took it (cli.main refused the
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


def _kill(pid: int) -> None:
    """End the child and its process group (a linker), reap it, remove its scratch."""
    import signal
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.waitpid(pid, 0)
    except OSError:
        pass
    _remove_tmp(pid)


def _feed(fd: int, prog: Any) -> None:
    """Send the parsed program to the child: ``P``, its length and the pickle; or
    ``S`` (parse it yourself) when it does not pickle or does not fit in the pipe (the
    write must not wait for the child, which may still be importing)."""
    msg = b"S"
    try:
        import pickle
        data = pickle.dumps(prog, protocol=pickle.HIGHEST_PROTOCOL)
        room = _FEED_BYTES
        try:
            import fcntl
            room = fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", 1032))
        except (OSError, ImportError):
            room = 1 << 16
        if len(data) + 9 <= room:
            msg = b"P" + len(data).to_bytes(8, "little") + data
    except Exception:  # noqa: BLE001 - anything unpicklable: the child parses
        pass
    try:
        os.write(fd, msg)
    except OSError:
        pass
    try:
        os.close(fd)
    except OSError:
        pass


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
        #: 0: the child is forked at the start (prestart); else this much CPU into the
        #: program, on the run's thread
        self.delay = 0.0 if self.wait else delay
        #: the run thread's CPU time at which the child is forked (:meth:`begin`)
        self.cpu0 = self.go_at = time.thread_time()
        self.counts = [0, 0]       # bytes the interpreter wrote to stdout, stderr
        self.switched = False
        #: checkpoint -> (events until its next look, when it last looked)
        self._pace: dict[Any, tuple[int, float]] = {}

    def adopt(self, prog: Any) -> None:
        """Take the child :func:`prestart` forked for this very program (or fork it
        now), and send it the parsed program."""
        global _early
        e = _early
        if e is None or (e.name, e.text) != (self.src.name, self.src.text):
            discard_early()  # another program's (cannot happen but by a caller's bug)
            prestart(self.src.name, self.src.text)
            e = _early
        if e is None:  # it may not run long, or is known not to compile, or no fork
            self.state = "off"
            return
        _early = None
        self.key, self.pid, self.status = e.key, e.pid, e.status
        if self.wait:
            os.set_blocking(self.status, True)
        _feed(e.feed, prog)
        self.log("background", f"{self.src.name}: compiling the whole program at tier 2 "
                               f"in process {e.pid}, forked "
                               f"{(self.started - e.forked) * 1000:.0f} ms before parsing "
                               "ended (it imported the compiler meanwhile); the "
                               "interpreter runs meanwhile")

    def begin(self) -> None:
        """The program starts running (translated: runtime.attach): the delay counts
        from here, on this thread's CPU clock, so that it measures the program's own
        work (not the translation's, nor other processes' on a busy machine)."""
        self.cpu0 = time.thread_time()
        self.go_at = self.cpu0 + self.delay

    # ---- the child, forked late (--jit-ahead=SECONDS) -------------------------------------

    def _fork(self) -> None:
        """Fork the child that compiles; called on the run's thread, by :meth:`poll`.
        Nothing else runs then but the main thread, waiting for this one (auto.py)."""
        from .remember import NO, marker_answer, program_key
        self.key = program_key(self.src.name, self.src.text)
        if marker_answer(self.key) == NO:  # an earlier run found it does not compile
            self.state = "off"
            return
        st_r, st_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(st_r)
                _child(self.src.name, self.src.text, self.key, st_w, -1)
            finally:
                os._exit(0)
        os.close(st_w)
        os.set_blocking(st_r, self.wait)
        self.pid, self.status = pid, st_r
        self.log("background", f"{self.src.name}: compiling the whole program at tier 2 "
                               f"in process {pid}, "
                               f"{(time.perf_counter() - self.started) * 1000:.0f} ms "
                               f"after parsing, {(time.thread_time() - self.cpu0) * 1000:.0f} "
                               "ms of CPU into the program; the interpreter runs meanwhile")

    # ---- looking at the child ---------------------------------------------------------------

    def next_check(self, where: Any) -> int:
        """Events (calls, iterations) until checkpoint ``where`` looks at the child
        again: as many as took about POLL seconds there last time (at most CHECK_EVERY),
        so that a switch waits about a millisecond whatever the checkpoint counts,
        for a look (a ``read`` of a pipe) every millisecond or so."""
        now = time.perf_counter()
        n, last = self._pace.get(where, (FIRST_CHECK, 0.0))
        if last:
            n = max(1, min(CHECK_EVERY, int(n * POLL / max(now - last, 1e-6))))
        self._pace[where] = (n, now)
        return n

    def poll(self) -> str:
        """The state, after forking the child once the delay has passed, or reading
        what it said since the last look."""
        if self.state != "waiting":
            return self.state
        if not self.pid:
            if time.thread_time() < self.go_at:
                return self.state
            try:
                self._fork()
            except OSError as e:
                self._off(f"the background compile could not start ({e})")
            if not self.pid:
                return self.state
        while True:
            try:
                data = os.read(self.status, 4096)
            except BlockingIOError:
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
    """auto.py, before parsing: the child forked now when this run compiles ahead at
    once (``ahead`` 0) and launch.py did not fork it (the run has options, or did not
    come through launch.py)."""
    if _early is None and policy.ahead == 0 and wanted(args, policy):
        prestart(src.name, src.text)


def start(src: Any, args: Any, policy: Any, log: Any, prog: Any) -> Optional[Background]:
    """The compile ahead of this run (``prog``: the program, parsed), or None when not
    wanted. With ``ahead`` 0 the child forked at the start takes the program now; else
    nothing is forked yet (a run that ends within the delay costs nothing but counting
    its output)."""
    if not wanted(args, policy):
        discard_early()
        return None
    bg = Background(src, log, policy.ahead)
    if policy.ahead == 0:
        bg.adopt(prog)
        if bg.state == "off":
            return None
    else:
        discard_early()
    return bg


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


def _receive(feed: int) -> tuple[bool, Any]:
    """(whether to compile, the parsed program or None to parse it here), from the
    run's feed (:func:`_feed`); the end of the feed before a message: the run is over."""
    head = _read_exactly(feed, 1)
    if head == b"S":
        return True, None
    if head != b"P":
        return False, None
    size = _read_exactly(feed, 8)
    data = _read_exactly(feed, int.from_bytes(size, "little")) if size else None
    if data is None:
        return False, None
    import pickle
    try:
        return True, pickle.loads(data)
    except Exception:  # noqa: BLE001 - parse it here instead
        return True, None


#: what the first compile of a process imports and sets up (the ruchy passes, LLVM's
#: pipeline: ~25 ms), done by :func:`_warm_up` while the run parses
_WARM_UP = """fun f(a: &mut Vec<f64>, n: i64) -> f64 {
    let mut s = 0.0
    for i in 0..n { a.push(i as f64); s += a[i] }
    s
}
let mut a = [0.5]
println(f(&mut a, 3))
"""


def _warm_up(compile_source: Any, opts: Any, source_file: Any) -> None:
    """Compile a tiny program, and forget it (never fails)."""
    try:
        compile_source(source_file("<warm-up>", _WARM_UP), opts)
    except Exception:  # noqa: BLE001 - only an optimisation
        pass


def _child(name: str, text: str, key: str, status: int, feed: int) -> None:
    """Compile the program whole at tier 2 into the program cache (unless it is there),
    and say ``ready`` or ``no REASON`` on ``status``. With a ``feed`` (forked at the
    start), import the compiler first, then take the parsed program from the feed. The
    run kills it when it ends first."""
    # A session of its own: a process group (the linker included: killed together,
    # and before this runs the run kills the process alone), and, where the scheduler
    # groups processes by session (Linux's autogroup), a share of the CPU of its own:
    # on a busy machine the interpreter running meanwhile would otherwise take the
    # compile's share, and the run would finish later than `run --tier=2` does.
    os.setsid()
    parent = os.getppid()
    try:  # Linux: die with the thread that forked this, whatever ends it
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    # every other descriptor: a pipe whose reader waits for the run's end must not
    # wait for this process too
    keep = sorted(fd for fd in (status, feed) if fd >= 3)
    low = 3
    for fd in keep:
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 16)

    def say(line: str) -> None:
        os.write(status, (line + "\n").encode())

    if progcache.has_library(key):
        say("ready from the program cache")
        return
    import tempfile
    tmp = _tmp_dir(os.getpid())
    _remove_tmp(os.getpid())  # a stale one, of an earlier process of this id
    os.mkdir(tmp, 0o700)
    tempfile.tempdir = tmp  # the linker's scratch files: removed if we are killed
    from types import SimpleNamespace
    from ..codegen.compiler import compile_source
    from ..codegen.jit import link_shared
    from ..codegen.options import compile_options
    from ..errors import SourceFile
    from .remember import NO, write_marker
    tree = None
    if feed >= 0:
        # what the compile needs besides the program, while the run parses it
        from ..codegen import engine
        from ..codegen.rtcache import runtime_object
        engine.target_machine(opt=3, jit=False)
        runtime_object(jit=False)
        import select
        if not select.select([feed], [], [], 0)[0]:  # the run is still parsing
            _warm_up(compile_source, compile_options(SimpleNamespace(), 2), SourceFile)
        go, tree = _receive(feed)
        os.close(feed)
        if not go:
            return
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
