"""Running one input so that the session survives it: Ctrl-C, and errors in compiled
code.

The input runs on a thread with the big stack compiled code needs (jit/auto.py), while
the main thread waits for it. Ctrl-C reaches the main thread, which stops the input
(interrupt.py): interpreted code by an exception raised in its thread, compiled code by
a flag its polls read, after which it calls ``exit(130)`` as below.

A runtime error in compiled code prints its diagnostic and calls the C library's
``exit(1)`` (codegen/rt/core.ll), which would end the session. So the session
registers an exit handler with the C library (``__cxa_atexit``, :func:`arm`) that,
when ``exit`` is called on an input's thread, tells the main thread and parks that
thread for good:
the process goes on, the input has failed (its diagnostic is printed), and the session
keeps the state it had before it. Handlers run in the reverse order of registration,
so the handler is registered again after llvmlite is loaded (its C++ destructors must
not run first), after every compile (LLVM registers more: compiler.py), and again each
time it is used. A parked thread holds no lock of
Python's (ctypes releases the GIL around the call it is in); its stack is reserved
memory, released at the end of the process, which ends with ``os._exit`` (see
:func:`enable`).
"""
from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any, Callable

from . import interrupt

_libc = ctypes.CDLL(None)
_guarded: dict[int, threading.Event] = {}
_armed_state: tuple = ()
_parked = 0
_enabled = False


class CompiledCodeFailed(Exception):
    """Compiled code called ``exit``: its diagnostic is already on stderr."""


def _on_exit(_arg: object) -> None:
    global _parked
    failed = _guarded.get(threading.get_ident())
    if failed is None:
        return  # the process is really ending
    _register()  # ready for the next failure
    _parked += 1
    failed.set()
    threading.Event().wait()  # never back into exit()


_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(_on_exit)


def _register() -> None:
    # atexit() itself is not exported by glibc (libc_nonshared.a wraps this)
    _libc.__cxa_atexit(_HANDLER, None, None)


def enable() -> None:
    """Survive ``exit`` in compiled code from now on. The process must then end with
    ``os._exit``: the handler is Python code, which the C library would otherwise call
    after the interpreter has finalised (``ruchy-opt repl`` does; sessions embedded in
    a program, the tests', leave it off and end the process at such an error)."""
    global _enabled
    _enabled = True


def rearm() -> None:
    """Register the handler again, after a compile: initialising LLVM's parts and
    loading machine code register C++ destructors of their own (function-local
    statics are registered with ``__cxa_atexit`` when first used), which ``exit`` would
    otherwise run before the handler parks the thread, leaving LLVM torn down for the
    session's next compile (it crashed there)."""
    if _enabled:
        _register()


def arm() -> None:
    """Register the handler, unless it was registered after llvmlite was loaded."""
    global _armed_state
    if not _enabled:
        return
    state = ("llvmlite.binding" in sys.modules,)
    if _armed_state != state:
        _register()
        _armed_state = state




def run_input(fn: Callable[[], Any]) -> Any:
    """``fn()`` on a big-stack thread; its result, or its exception re-raised here.
    KeyboardInterrupt if the user pressed Ctrl-C, CompiledCodeFailed if compiled code
    called ``exit``."""
    from ..jit.auto import big_stack_thread
    result: list = []
    failed = threading.Event()

    def body() -> None:
        _guarded[threading.get_ident()] = failed
        try:
            result.append((True, fn()))
        except BaseException as e:  # noqa: BLE001 - re-raised on the main thread
            result.append((False, e))
        finally:
            _guarded.pop(threading.get_ident(), None)

    arm()
    interrupt.start_input()
    t = big_stack_thread(body, "ruchy-repl")
    while t.is_alive() and not failed.is_set():
        try:
            t.join(0.1)
        except KeyboardInterrupt:
            if not interrupt.requested() and t.ident is not None:
                interrupt.request(t.ident)
    if failed.is_set():
        # compiled code called exit: a runtime error, or a poll that saw Ctrl-C
        if interrupt.requested():
            raise KeyboardInterrupt
        raise CompiledCodeFailed()
    ok, value = result[0] if result else (False, KeyboardInterrupt())
    if not ok:
        raise value
    return value  # (done before an interrupt reached it: the input counts)


__all__ = ["CompiledCodeFailed", "arm", "enable", "rearm", "run_input"]
