"""The whole program compiled ahead, in the background, while the interpreter runs it.

A program's first ``run`` (nothing in the program cache) would otherwise spend its
first 0.3-1 s interpreting, 130-180x slower than compiled code, until counters make its
hot code worth compiling in this process. Instead, once the program has run a little
(``TierPolicy.ahead``), a forked child compiles the whole program at tier 2, exactly as
``run --tier=2 FILE`` does (ruchy -O2, LLVM O3, linked with the runtime), and stores it
in the program cache under that command's key. The interpreter runs meanwhile, on the other core. When the code is
ready, the next checkpoint (a counted call, or a loop's OSR check: runtime.py) *switches*:
the compiled program runs from its start, and everything it writes that the interpreter
wrote already (the first N bytes of stdout and M of stderr: ``rt_skip`` in
codegen/rt/core.ll) is not written again. This is replay, not state transfer: a program
that compiles whole does nothing but compute and print (compiled code has no input, no
files, no clock, no environment), so running it again from the start reaches the same
state and prints the same bytes, and re-running the interpreted prefix costs 1/150 of
the time the interpreter spent on it. Errors are the compiled program's, which are
tier 0's by construction (the same message at the same place, a stack overflow at the
same depth); output printed before the switch is never lost or doubled.

The policy (``TierPolicy.ahead``, docs/jit.md "Compiling ahead"): the child is forked
once the program has taken ``ahead`` seconds of CPU, so a short script forks nothing,
and a run that ends before the compile kills it; while the child compiles, the tiered
runtime compiles nothing in this process (its work would be thrown away at the switch,
and it would take the CPU the child needs); when the child finds that the program does not compile whole
(Level 3 parts that tier 2 runs interpreted), the tiered runtime takes over as before,
and a marker stops later runs from trying again (remember.py's). A switched run marks
the program as remembered (remember.py): its later runs start from the cached code.

Why a process, not a thread: our own passes are Python and hold the GIL, so a compile
thread would slow the interpreter down by as much as it works; and a runtime error in
compiled code ends the process through C's ``exit``, whose C++ static destructors tear
LLVM down under any other thread that is inside it (the crash an earlier attempt at
assembling objects on a second thread met). So none of its LLVM work runs here: the
child does it in its own address space, and the run only loads the finished shared
object, on its own thread, once the interpreter has stopped. The child needs no care at
exit: it is killed (with the linker it may be running: its own session and process
group) when the run ends first.

Standard library only here; the child imports the compiler.
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
#: events (calls, loop iterations) between two looks at the child while it compiles
CHECK_EVERY = 4096


class Handover(BaseException):
    """Raised on the interpreter's thread once the compiled program has run the whole
    program: it unwinds the interpreted frames (generated code catches nothing that is
    not an Exception). ``status`` is the run's exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def wanted(args: Any, policy: Any) -> bool:
    """Whether this auto run compiles ahead: on by default for a plain run whose cache
    is on disk (``RUCHY_OPT_JIT_AHEAD=wait``: with no delay, the first checkpoint
    waiting for the result, for tests); off with ``RUCHY_OPT_JIT_AHEAD=0``, for runs that set promotion
    thresholds (``--jit-*``, ``RUCHY_OPT_JIT_SCALE``: experiments with the tiered
    runtime itself), instrumentation or passes, and where there is no ``fork``."""
    if os.environ.get(AHEAD_ENV, "1") == "0" or policy.ahead is None:
        return False
    if not hasattr(os, "fork") or not hasattr(os, "setsid"):
        return False
    if os.environ.get("RUCHY_OPT_JIT_SCALE") or progcache.cache_dir() is None:
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


class Background:
    """The compile ahead, seen from the run (module docstring): "waiting" (for the
    delay to pass, then for the child), "ready" (its code is in the program cache),
    "off" (no code is coming)."""

    def __init__(self, src: Any, log: Any, delay: float) -> None:
        self.src = src
        self.log = log
        self.key = ""
        self.pid = 0
        self.status = -1           # the pipe the child says its result on
        self.buffer = b""
        self.state = "waiting"
        self.started = time.perf_counter()
        #: RUCHY_OPT_JIT_AHEAD=wait: fork at the first checkpoint and wait there for the
        #: result, so that the switch happens at a known place (tests)
        self.wait = os.environ.get(AHEAD_ENV) == "wait"
        self.delay = 0.0 if self.wait else delay
        #: the run thread's CPU time at which the child is forked (:meth:`begin`)
        self.cpu0 = self.go_at = time.thread_time()
        self.counts = [0, 0]       # bytes the interpreter wrote to stdout, stderr
        self.switched = False

    def begin(self) -> None:
        """The program starts running (translated: runtime.attach): the delay counts
        from here, on this thread's CPU clock, so that it measures the program's own
        work (not the translation's, nor other processes' on a busy machine)."""
        self.cpu0 = time.thread_time()
        self.go_at = self.cpu0 + self.delay

    # ---- the child ---------------------------------------------------------------------

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
                _child(self.src, self.key, st_w)
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
            word, _, rest = line.decode("utf-8", "replace").partition(" ")
            if word == "ready":
                self.state = "ready"
                ms = (time.perf_counter() - self.started) * 1000
                self.log("background", f"{self.src.name}: compiled whole at tier 2 "
                                       f"({rest}), seen {ms:.0f} ms after parsing; "
                                       "switching at the next call or loop iteration")
            elif word == "no":
                self._off(f"the program does not compile whole ({rest}); the tiered "
                          "runtime promotes what gets hot")
        return self.state

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
        try:
            os.close(self.status)
        except OSError:
            pass
        _remove_tmp(pid)

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


def start(src: Any, args: Any, policy: Any, log: Any) -> Optional[Background]:
    """The compile ahead of this run, or None when not wanted. Nothing is forked yet:
    a run that ends within the delay costs nothing but counting its output."""
    return Background(src, log, policy.ahead) if wanted(args, policy) else None


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


def _child(src: Any, key: str, status: int) -> None:
    """Compile ``src`` whole at tier 2 into the program cache (unless it is there), and
    say ``ready`` or ``no REASON`` on ``status``. The run kills it when it ends first."""
    # A session of its own: a process group (the linker included: killed together,
    # and before this runs the run kills the process alone), and, where the scheduler
    # groups processes by session (Linux's autogroup), a share of the CPU of its own:
    # on a busy machine the interpreter running meanwhile would otherwise take the
    # compile's share, and the run would finish later than `run --tier=2` does.
    os.setsid()
    parent = os.getppid()
    try:  # Linux: die with the run's thread, whatever ends it
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
    os.closerange(3, status)
    os.closerange(status + 1, 1 << 16)

    def say(line: str) -> None:
        os.write(status, (line + "\n").encode())

    if not progcache.has_library(key):
        t0 = time.perf_counter()
        import tempfile
        tmp = _tmp_dir(os.getpid())
        _remove_tmp(os.getpid())  # a stale one, of an earlier process of this id
        os.mkdir(tmp, 0o700)
        tempfile.tempdir = tmp  # the linker's scratch files: removed if we are killed
        from types import SimpleNamespace
        from ..codegen.compiler import compile_source
        from ..codegen.jit import link_shared
        from ..codegen.options import compile_options
        from .remember import NO, write_marker
        try:
            c = compile_source(src, compile_options(SimpleNamespace(), 2))
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
    else:
        say("ready from the program cache")
