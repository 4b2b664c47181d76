"""Remembered programs: a program that a plain ``run`` found hot is compiled whole at
tier 2, after the run and in the background, into the program cache
(codegen/progcache.py), together with a marker that says "auto runs of this program
start at tier 2". The next plain ``run FILE`` then loads that shared object before
importing the front end, as a warm ``run --tier=2 FILE`` does (launch.py), instead of
parsing, translating and interpreting until the tiered runtime finds its cached code.

- Only a plain auto run reads or writes the marker: ``run [--tier=auto] [--jit-log]
  FILE``. Runs that set thresholds (``--jit-*``), passes or instrumentation are
  experiments with the tiered runtime and keep it; ``--no-cache``, ``RUCHY_OPT_NO_CACHE=1``
  and ``RUCHY_OPT_JIT_REMEMBER=0`` turn remembering off.
- A run is hot when the policy says so (``TierPolicy.remember_due``: compiled code ran
  and the run took long enough; see policy.py for the threshold and why).
- The whole program compiles at tier 2 or not at all (``NotCompilable``: some part has
  no static types, and tier 2 would run it in the interpreter): then the marker says
  "no", and the program keeps the tiered runtime. Either answer is written once per
  program text, compiler and host (the key is the program cache's for ``run --tier=2
  FILE``: source, file name, options, compiler, LLVM, CPU), so an edited program, a new
  compiler or another machine starts afresh, and a stale entry is never run.
- The compile runs in a detached grandchild (``setsid``, descriptors 0-2 on /dev/null,
  so whoever reads our output sees its end when this process exits): the run that found
  the program hot is not made longer. It holds a lock on ``KEY.lock`` while compiling, so
  concurrent runs do not compile the same program twice. ``RUCHY_OPT_JIT_BACKGROUND=0``
  compiles in this process instead, before exiting (deterministic; for tests).
- A runtime error raised in compiled code ends the process from the runtime library
  (C ``exit``), with no Python left to decide anything: so once compiled code exists, a
  watch thread (:class:`HotWatch`) takes the decision as soon as the run is hot (the
  policy's test only grows true: CPU time and "compiled code ran" never go back) and
  forks the grandchild then, which waits for the run to end, however it ends, before it
  compiles. A failing hot program is remembered like any hot program, and its later runs
  fail with the same error at the same place, from tier 2.

Everything here up to the compile itself is standard library plus progcache, which is
what launch.py may import before the front end.
"""
from __future__ import annotations

import os
import sys
import threading

from ..codegen import progcache

# Type names only: importing typing would cost a remembered run more than its own work.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

REMEMBER_ENV = "RUCHY_OPT_JIT_REMEMBER"
BACKGROUND_ENV = "RUCHY_OPT_JIT_BACKGROUND"
_YES = "tier 2"
_NO = "no"
_HEAD = "ruchy-opt remembered program 1"
#: the marker's answers, for background.py
YES, NO = _YES, _NO

#: ``run`` options that leave a run plain (everything else is an experiment).
_POLICY_OPTIONS = ("jit_scale", "jit_tier1", "jit_tier2", "jit_osr", "jit_call_weight",
                   "jit_loop_weight", "jit_max_deopts")
POLICY_OPTIONS = _POLICY_OPTIONS


def enabled() -> bool:
    """Remembering is on: the cache is on disk and not turned off."""
    return os.environ.get(REMEMBER_ENV, "1") != "0" and progcache.cache_dir() is not None


def plain(args: Any) -> bool:
    """Whether parsed ``run`` arguments are a plain auto run (``--jit-log`` allowed)."""
    if getattr(args, "no_cache", False) or getattr(args, "dump_cfg", None):
        return False
    if any(getattr(args, o, None) is not None for o in _POLICY_OPTIONS):
        return False
    if str(getattr(args, "file", "")).endswith(".ssa"):
        return False
    return progcache.options_of(args) == progcache.DEFAULT_OPTIONS


def program_key(name: str, text: str) -> str:
    """The key of the marker: that of ``run --tier=2 FILE``'s program-cache entry."""
    return progcache.program_key(name, text, 2, progcache.DEFAULT_OPTIONS)


def _marker(key: str, ext: str = "") -> Optional[str]:
    d = progcache.cache_dir()
    return os.path.join(d, "jit", "remembered", key + ext) if d else None


def _content(key: str, answer: str) -> bytes:
    return f"{_HEAD}\n{key}\n{answer}\n".encode()


def marker_answer(key: str) -> Optional[str]:
    """"tier 2", "no", or None (no marker, or one that is not whole)."""
    p = _marker(key)
    if p is None:
        return None
    try:
        with open(p, "rb") as f:
            data = f.read(256)
    except OSError:
        return None
    for answer in (_YES, _NO):
        if data == _content(key, answer):
            return answer
    return None


def remembered_library(name: str, text: str) -> Optional[tuple[str, str]]:
    """(key, a loadable path of its shared object: progcache.open_library) to run for a
    plain auto run of this program, or None."""
    if not enabled():
        return None
    key = program_key(name, text)
    if marker_answer(key) != _YES:
        return None
    so = progcache.open_library(key)
    return (key, so) if so is not None else None


# ---- starting from the remembered program -------------------------------------------

def launch_run(path: str) -> Optional[int]:
    """launch.py, for exactly ``run [--tier=auto] FILE`` (``--jit-log`` takes the full
    path, whose :func:`run_remembered` logs it): run the remembered program before the
    front end is imported; None when there is none."""
    text = progcache.read_source(path)
    if text is None:
        return None
    found = remembered_library(path, text)
    if found is None:
        return None
    from ..codegen.native import run_cached_library
    return run_cached_library(found[1])  # None if not loadable: the tiered runtime runs


def run_remembered(src: Any, args: Any, log: Any) -> Optional[int]:
    """jit/auto.py: run a plain auto run from the remembered program (saying so in
    ``--jit-log``); None when there is none."""
    if not plain(args):
        return None
    import time
    t0 = time.perf_counter()
    found = remembered_library(src.name, src.text)
    if found is None:
        return None
    from ..codegen.native import library_entry, run_address
    try:
        address = library_entry(found[1])
    except (OSError, AttributeError):
        return None
    log("remembered", f"{src.name}: an earlier run was hot, so the whole program runs at "
                      f"tier 2 from the program cache ({found[0]}.so; loaded in "
                      f"{(time.perf_counter() - t0) * 1000:.1f} ms); nothing is "
                      "interpreted")
    return run_address(address)


# ---- remembering ----------------------------------------------------------------------

def after_run(src: Any, args: Any, runtime: Any, seconds: float, log: Any) -> None:
    """The end of a plain auto run (output flushed, status known): if the policy finds
    it hot, compile the whole program at tier 2 (in the background) and mark it. Never
    raises, never prints but the ``--jit-log`` line."""
    try:
        if runtime is None or not plain(args) or not enabled():
            return
        watch = getattr(runtime, "hot_watch", None)
        if watch is not None and watch.finish():
            return  # the watch found the run hot and started the compile already
        if not runtime.policy.remember_due(_ran_compiled(runtime), seconds):
            return
        _remember(src, runtime, seconds, log, early=False)
    except Exception:  # noqa: BLE001 - remembering is an optimisation, never a failure
        pass


def _ran_compiled(runtime: Any) -> bool:
    compiler = getattr(runtime, "_compiler", None)
    return bool(compiler is not None and compiler.loaded)


def _remember(src: Any, runtime: Any, seconds: float, log: Any, early: bool) -> None:
    """The run is hot: mark the program, compiling it unless that was done. ``early``:
    from the watch, while the run goes on (always in the background, the grandchild
    waiting for the run's end however long it takes)."""
    key = program_key(src.name, src.text)
    answer = marker_answer(key)
    cached = progcache.has_library(key)
    if answer == _NO or (answer == _YES and cached):
        return
    if cached:  # `run --tier=2` compiled it already
        _write_marker(key, _YES)
        log("remember", f"{src.name}: hot run ({seconds:.2f} s of CPU); the whole "
                        "program is in the program cache already: later runs start "
                        "at tier 2")
        return
    sync = not early and os.environ.get(BACKGROUND_ENV, "1") == "0"
    when = "once this run ends" if early else "now" if sync else "in the background"
    log("remember", f"{src.name}: hot run ({seconds:.2f} s of CPU >= "
                    f"{runtime.policy.remember_seconds():.2f} s, compiled code ran); "
                    f"compiling the whole program at tier 2 {when} for later runs")
    if not early:  # (the watch's fork copies no Python buffer that is ever flushed)
        sys.stdout.flush()
        sys.stderr.flush()
    if sync:
        _compile_and_mark(src, key)
    else:
        _in_background(src, key, None if early else 10.0)


class HotWatch:
    """Remembers a plain run that will not get to :func:`after_run`: one that a runtime
    error in compiled code ends (module docstring). Started by the tiered runtime when
    it first compiles (``TieredRuntime.on_first_compile``); its thread wakes a few times a
    second until the run is hot by the policy (CPU time, compiled code loaded), then
    starts the background compile (which waits for the run's end). The runtime also asks
    :meth:`check` on its own thread after every compile, so a run that is hot by then
    (or has a threshold of zero) is remembered before its compiled code runs at all. Not
    started when the compile is synchronous (``RUCHY_OPT_JIT_BACKGROUND=0``): that one
    runs at the end only."""

    def __init__(self, src: Any, runtime: Any, log: Any) -> None:
        self.src = src
        self.runtime = runtime
        self.log = log
        self.lock = threading.Lock()
        self.ended = False   # the run is over (after_run) or the watch gave up
        self.acted = False   # the watch started the compile

    @staticmethod
    def wanted(args: Any) -> bool:
        return plain(args) and enabled() and os.environ.get(BACKGROUND_ENV, "1") != "0" \
            and hasattr(os, "fork")

    def start(self) -> None:
        threading.Thread(target=self._watch, name="ruchy-remember", daemon=True).start()

    def finish(self) -> bool:
        """The run ended: stop watching; whether the watch started the compile."""
        with self.lock:
            self.ended = True
            return self.acted

    def check(self) -> bool:
        """If the run is hot now, start the compile (once); whether the watch is done."""
        import time
        try:
            with self.lock:
                if self.ended or self.acted:
                    return True
                cpu = time.process_time()
                if cpu < self.runtime.policy.remember_seconds() \
                        or not _ran_compiled(self.runtime):
                    return False
                self.acted = True
                _remember(self.src, self.runtime, cpu, self.log, early=True)
        except Exception:  # noqa: BLE001 - remembering is an optimisation, never a failure
            pass
        return True

    def _watch(self) -> None:
        import time
        need = self.runtime.policy.remember_seconds()
        while not self.check():
            # CPU time grows at most by the number of threads per second of sleep
            time.sleep(min(0.25, max(0.02, (need - time.process_time()) / 2)))


def _in_background(src: Any, key: str, limit: Optional[float] = 10.0) -> None:
    """Compile in a detached process holding ``KEY.lock``; return at once. It waits until
    this process is gone (at most ``limit`` seconds; None: however long the run takes)
    before it compiles.

    The grandchild this forks does nothing in the copy of this process but close
    descriptors: it executes a fresh interpreter (``python -m ruchy_opt.jit.remember``,
    :func:`_main`) that reads the program's text from a temporary file. A copy of a
    process with several threads may hold locks that no thread of the copy will ever
    release (a module another thread was importing, LLVM's), and the watch forks while
    the run goes on."""
    if not hasattr(os, "fork") or not hasattr(os, "setsid"):
        return
    import fcntl
    import tempfile
    lock = _marker(key, ".lock")
    if lock is None:
        return
    from ..codegen.cachefile import private_dir
    private_dir(os.path.dirname(lock))
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another process is compiling it
        os.close(fd)
        return
    tfd, text = tempfile.mkstemp(prefix="ruchy-opt-remember-", suffix=".ruchy")
    with os.fdopen(tfd, "w", encoding="utf-8") as f:
        f.write(src.text)
    os.set_inheritable(fd, True)  # the lock goes on through exec
    argv = [sys.executable, "-m", "ruchy_opt.jit.remember", str(os.getpid()),
            "-" if limit is None else str(limit), key, src.name, text, str(fd)]
    pid = os.fork()
    if pid:
        os.close(fd)  # the lock stays with the grandchild's copy of the descriptor
        os.waitpid(pid, 0)
        return
    try:  # the child: a new session, and a grandchild that init reaps
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2):
            os.dup2(null, i)
        # Every other descriptor but the lock too: a pipe of whoever reads our output
        # (say, run_in_child's) must see its end when the run exits.
        os.closerange(3, fd)
        os.closerange(fd + 1, 1 << 16)
        os.nice(10)
        os.execv(sys.executable, argv)
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        pass
    finally:
        os._exit(0)


def _main(argv: list) -> int:
    """The detached compile (:func:`_in_background`): ``ORIGIN LIMIT KEY NAME TEXT
    LOCKFD``. The run that started it still has to exit (Python's clean-up of its
    objects takes 0.1 s, more on a busy machine; a run the watch found hot may go on for
    long): compile after it is gone (reaped, or after LIMIT seconds, ``-``: no limit).
    The lock is held until this process exits."""
    try:
        origin, limit, key, name, text_path = argv[:5]
        with open(text_path, encoding="utf-8") as f:
            text = f.read()
        os.unlink(text_path)
        _wait_for(int(origin), None if limit == "-" else float(limit))
        from ..errors import SourceFile
        _compile_and_mark(SourceFile(name, text), key)
    except BaseException:  # noqa: BLE001 - nobody reads its output; never fail loudly
        pass
    return 0


def _wait_for(pid: int, limit: Optional[float]) -> None:
    """Until process ``pid`` is gone (a zombie not yet reaped counts as there), or
    ``limit`` seconds (None: no limit)."""
    import time
    start = time.monotonic()
    while limit is None or time.monotonic() < start + limit:
        try:
            os.kill(pid, 0)
        except OSError:  # gone
            return
        # a run that goes on for long is looked at less often
        time.sleep(0.01 if time.monotonic() - start < 1 else 0.1)


def _compile_and_mark(src: Any, key: str) -> None:
    """Compile the whole program at tier 2 as ``run --tier=2 FILE`` does, store it in
    the program cache and write the marker ("no" when it does not compile whole)."""
    from types import SimpleNamespace

    answer = marker_answer(key)
    if answer == _NO or (answer == _YES and progcache.has_library(key)):
        return  # another run did it meanwhile
    from ..codegen.compiler import compile_source
    from ..codegen.options import compile_options
    try:
        c = compile_source(src, compile_options(SimpleNamespace(), 2))
    except Exception:  # noqa: BLE001 - NotCompilable (a part without static types,
        # which tier 2 would interpret), or a compiler bug: the tiered runtime stays
        _write_marker(key, _NO)
        return
    from ..codegen.jit import link_shared
    so = link_shared(c)
    if so is None or not progcache.store_library(key, so):
        return  # no C compiler: launch.py could not load it; the tiered runtime stays
    _write_marker(key, _YES)


def write_marker(key: str, answer: str) -> None:
    """Say ``answer`` (YES or NO) for the program of ``key``, for later runs."""
    _write_marker(key, answer)


def _write_marker(key: str, answer: str) -> None:
    p = _marker(key)
    if p is not None:
        progcache.write_atomic(p, _content(key, answer))


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
