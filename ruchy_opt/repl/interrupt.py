"""Ctrl-C while an input runs, in the interpreter or in compiled code.

Interpreted code is stopped by raising KeyboardInterrupt in the input's thread
(``PyThreadState_SetAsyncExc``), which Python does at its next bytecode boundary.
Compiled code has no bytecode: the session's code is compiled with polls
(jit/exportgen.py ``poll``), and stopping it means setting the stop flag of every
piece of machine code the session loaded; its next function entry or loop back edge
flushes the output and calls ``exit(130)``, which the session survives as it survives
a runtime error (execute.py parks the thread).

The two must not mix: an asynchronous exception still pending when compiled code calls
``exit`` would be raised inside the exit handler (Python code), and ``exit`` would then
end the process. So every call into compiled code goes through :func:`guarded`, which
counts the thread in native code under a lock, and :func:`request` (the main thread,
on Ctrl-C) takes the same lock: in native code, only the flags are set; in Python,
the exception is raised there. A call that starts, or returns, after the request
raises KeyboardInterrupt itself (clearing an exception pending for it), so an
interrupt is never lost between the two.
"""
from __future__ import annotations

import ctypes
import threading
import weakref
from typing import Any, Callable

_lock = threading.Lock()
#: the machine code loaded (NativeFunctions with a stop flag), weakly: a flag lives in
#: its code's memory, which goes when the code is dropped (``:reset``)
_code: "weakref.WeakValueDictionary[int, Any]" = weakref.WeakValueDictionary()
_state = {"native": 0, "requested": False}


def register(nf: Any) -> None:
    """Make ``nf`` (a NativeFunction) stoppable: its calls go through :func:`guarded`,
    its stop flag is set on Ctrl-C. Idempotent (machine code is shared by key)."""
    if getattr(nf, "guarded", False):
        return
    nf.call = guarded(nf.call)
    nf.guarded = True
    if nf.stop is not None:
        with _lock:
            _code[id(nf)] = nf


def guarded(call: Callable[..., Any]) -> Callable[..., Any]:
    """``call`` (into compiled code) with the thread counted as in native code."""
    def native(*args: Any, **kw: Any) -> Any:
        with _lock:
            if _state["requested"]:
                _stop_here()
            _state["native"] += 1
        try:
            return call(*args, **kw)
        finally:
            with _lock:
                _state["native"] -= 1
                if _state["requested"]:
                    _stop_here()  # returned before a poll saw the flag
    return native


def _stop_here() -> None:
    # an exception the main thread queued before this thread saw the request
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
    raise KeyboardInterrupt


def start_input() -> None:
    """A new input: nothing requested, every stop flag clear."""
    with _lock:
        _state["native"] = 0
        _state["requested"] = False
        for nf in _code.values():
            nf.stop.value = 0


def request(thread_ident: int) -> None:
    """Ctrl-C: stop the input running on thread ``thread_ident`` (see the docstring)."""
    with _lock:
        _state["requested"] = True
        for nf in _code.values():
            nf.stop.value = 1
        if _state["native"] == 0:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread_ident), ctypes.py_object(KeyboardInterrupt))


def requested() -> bool:
    """Whether Ctrl-C was pressed during the current input."""
    return bool(_state["requested"])


__all__ = ["guarded", "register", "request", "requested", "start_input"]
