"""``run --tier=auto`` (the default): the program starts in the interpreter, which
profiles it; what gets hot is compiled (runtime.py).

Compiled code runs on the calling thread's stack, so the whole run happens on a thread
with a 1 GiB stack (reserved, not committed), as the compiled tiers do: recursion as
deep as the language allows fits. Compiled code writes to file descriptor 1; when
Python's ``sys.stdout`` is something else (a test capturing output), the run happens in
a forked child whose output is copied back, so the bytes and the exit status are the
same. Nothing here imports llvmlite: a script that never gets hot never loads it.

A plain first run compiles the whole program at tier 2 in a forked child meanwhile and
switches to it when it is ready (background.py); the counters promote code only when
that is off or the program does not compile whole.

A plain run of a program that an earlier run found hot starts from its whole program
compiled at tier 2, and a hot run ends by having it compiled (remember.py; a run that
a runtime error in compiled code ends is found hot while it runs, by a watch thread).
"""
from __future__ import annotations

import io
import os
import sys
import threading
import time
from typing import Any, Callable, Optional

from ..codegen.native import STACK_BYTES, WAKE_SECONDS
from ..errors import RuchyError, SourceFile, render
from .policy import policy_from_args

NO_CACHE_ENV = "RUCHY_OPT_NO_CACHE"


def run_auto(src: SourceFile, args: Any) -> int:
    """Run a program in mixed mode; returns the exit status (raises RuchyError)."""
    from ..codegen.native import redirected
    from .log import JitLog
    from .remember import run_remembered
    from ..codegen import cachefile
    # a discarded cache entry is said where the run says what it does
    cachefile.verbose = bool(getattr(args, "jit_log", False) or getattr(args, "verbose", False))
    status = run_remembered(src, args, JitLog(bool(getattr(args, "jit_log", False))))
    if status is not None:
        return status
    if redirected() and hasattr(os, "fork"):
        return forked(src, lambda: _run_and_remember(src, args))
    return _run_and_remember(src, args)


def _run_and_remember(src: SourceFile, args: Any) -> int:
    """The run on a big stack; then, its output flushed and its status known (a
    RuchyError is reported by the caller), remember.after_run with the CPU time the
    process has taken (start-up, front end, interpreter, compiles, compiled code)."""
    from .remember import after_run
    box: list = []
    try:
        status = _on_big_stack(lambda: _run(src, args, box))
    except RuchyError:
        if box:
            after_run(src, args, box[0], time.process_time(), box[0].log)
        raise
    if box:
        after_run(src, args, box[0], time.process_time(), box[0].log)
    return status


def _run(src: SourceFile, args: Any, box: Optional[list] = None, policy: Any = None,
         log: Any = None) -> int:
    """One run in the tiered runtime: with the command line's policy and log, or (the
    fixed tiers' mixed mode, mixed.py) with ``policy`` and ``log``, and never
    remembered then."""
    from ..syntax.parser import parse_program
    from .log import JitLog
    fixed = policy is not None
    policy = policy if fixed else policy_from_args(args)
    if log is None:
        log = JitLog(bool(getattr(args, "jit_log", False) or getattr(args, "verbose", False)))
    background = None
    if not fixed:  # the whole program compiling meanwhile, in a child (background.py)
        from .background import discard_early, early, start
        early(src, args, policy)  # forked now unless launch.py forked it already
        try:
            prog = parse_program(src.text, src.name)
        except BaseException:
            discard_early()
            raise
        background = start(src, args, policy, log, prog)
    else:
        prog = parse_program(src.text, src.name)
    try:
        return _run_tiered(src, args, prog, policy, log, fixed, box, background)
    finally:
        if background is not None:
            background.stop()  # a run that ended first does not wait for the compile


def _run_tiered(src: SourceFile, args: Any, prog: Any, policy: Any, log: Any, fixed: bool,
                box: Optional[list], background: Any) -> int:
    from ..interp.runner import Tier0Program
    from ..interp.translate import JitHooks
    from .background import Handover
    from .cache import CodeCache
    from .runtime import TieredRuntime
    program = Tier0Program(prog, src, jit=JitHooks(osr=policy.osr_iterations()))
    disk = not getattr(args, "no_cache", False) and not os.environ.get(NO_CACHE_ENV)
    cache = CodeCache(disk)
    runtime = TieredRuntime(prog, src, program.module, policy, log, cache)
    if background is not None:
        from .remember import enabled, plain
        runtime.background = background
        runtime.remember_switch = plain(args) and enabled()
    if fixed:
        runtime.compiler()  # lowered now, so that the log says first what stays interpreted
    from .remember import HotWatch
    if not fixed and HotWatch.wanted(args):  # a run that a runtime error in compiled code ends
        runtime.hot_watch = HotWatch(src, runtime, runtime.log)
    if box is not None:
        box.append(runtime)
    try:
        program.run(runtime=runtime)
        sys.stdout.flush()
    except Handover as h:  # the compiled program ran the whole program
        return h.status
    finally:
        cache.finish()  # shared objects still being linked for the next run
    return 0


def big_stack_thread(body: Callable[[], None], name: str) -> threading.Thread:
    """A started daemon thread running ``body`` on the stack compiled code needs
    (STACK_BYTES, reserved rather than committed)."""
    old = threading.stack_size()
    threading.stack_size(STACK_BYTES)
    try:
        t = threading.Thread(target=body, name=name, daemon=True)
        t.start()
    finally:
        threading.stack_size(old)
    return t


def on_big_stack(fn: Callable[[], int]) -> int:
    """``fn()`` on a thread with STACK_BYTES of stack; its exception is re-raised here."""
    return _on_big_stack(fn)


def _on_big_stack(fn: Callable[[], int]) -> int:
    result: list = []

    def body() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - re-raised on the caller's thread
            result.append(e)
    t = big_stack_thread(body, "ruchy-auto")
    while t.is_alive():  # timed: SIGINT may reach the other thread (native._run_entry)
        t.join(WAKE_SECONDS)
    r = result[0] if result else 1
    if isinstance(r, BaseException):
        raise r
    return r


def forked(src: SourceFile, run: Callable[[], int]) -> int:
    """``run()`` in a child whose descriptors 1 and 2 are pipes; copy its output back
    (a RuchyError it raises is reported there, against ``src``)."""
    from ..codegen.native import run_in_child

    def child() -> int:
        status = 1
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                      errors="replace", newline="\n")
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                      errors="replace", newline="\n", line_buffering=True)
        try:
            status = run()
        except RuchyError as e:
            sys.stdout.flush()
            sys.stderr.write(render(e, src))
            status = 1
        except BaseException:  # noqa: BLE001 - shown as the parent would show it
            import traceback
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return status
    return run_in_child(child, "the program")
