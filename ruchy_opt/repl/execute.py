"""Running one input so that the session survives it: Ctrl-C, and errors in compiled
code.

The input runs on a thread with the big stack compiled code needs (jit/auto.py), while
the main thread waits for it. Ctrl-C reaches the main thread, which raises
KeyboardInterrupt in the input's thread (``PyThreadState_SetAsyncExc``): interpreted
code stops at once, compiled code when it returns to the interpreter.

A runtime error in compiled code prints its diagnostic and calls the C library's
``exit(1)`` (codegen/rt/core.ll), which would end the session. So the session
registers an exit handler with the C library (``__cxa_atexit``, :func:`arm`) that,
when ``exit`` is called on an input's thread, tells the main thread and parks that
thread for good:
the process goes on, the input has failed (its diagnostic is printed), and the session
keeps the state it had before it. Handlers run in the reverse order of registration,
so the handler is registered again after llvmlite is loaded (its C++ destructors must
not run first), and again each time it is used. A parked thread holds no lock of
Python's (ctypes releases the GIL around the call it is in); its stack is reserved
memory, released at the end of the process, which ends with ``os._exit`` (see
:func:`enable`).
"""
from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any, Callable

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
    t = big_stack_thread(body, "ruchy-repl")
    interrupted = False
    while t.is_alive() and not failed.is_set():
        try:
            t.join(0.1)
        except KeyboardInterrupt:
            if not interrupted and t.ident is not None:
                interrupted = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(t.ident), ctypes.py_object(KeyboardInterrupt))
    if failed.is_set():
        raise CompiledCodeFailed()
    ok, value = result[0] if result else (False, KeyboardInterrupt())
    if not ok:
        raise value
    return value  # (done before an interrupt reached it: the input counts)


__all__ = ["CompiledCodeFailed", "arm", "enable", "run_input"]
