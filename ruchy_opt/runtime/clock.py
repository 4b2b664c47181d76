"""Time: ``std::time::{Instant, Duration, SystemTime}`` and the reference's
``timestamp()``/``get_time_ms()``/``sleep(ms)``.

A ``Duration`` is a struct of whole nanoseconds (``f_nanos``), so ``==``, ``<`` and
sorting compare durations as Rust does; its debug form is Rust's (``1.5s``,
``250ms``, ``12µs``, ``0ns``). An ``Instant`` holds a monotonic clock reading in
nanoseconds, a ``SystemTime`` nanoseconds since the Unix epoch.
"""
from __future__ import annotations

import time as _time
from typing import Any

from ..errors import RuchyRuntimeError
from .aggregates import Err, Ok, struct_class
from .libmethods import register
from .values import kind

Duration = struct_class("Duration", "named", ["nanos"])
Instant = struct_class("Instant", "named", ["t"])
SystemTime = struct_class("SystemTime", "named", ["t"])

_NS = {"s": 1_000_000_000, "ms": 1_000_000, "µs": 1_000, "ns": 1}


def _int(name: str, v: Any) -> int:
    if type(v) is not int or v < 0:
        raise RuchyRuntimeError(f"type error: {name}() expects a non-negative int, "
                                f"found {kind(v) if type(v) is not int else v}")
    return v


def _dur(name: str, v: Any) -> int:
    if type(v) is not Duration:
        raise RuchyRuntimeError(f"type error: {name}() expects a Duration, found {kind(v)}")
    return v.f_nanos


def from_secs(s: Any) -> Any:
    return Duration(_int("Duration::from_secs", s) * _NS["s"])


def from_millis(ms: Any) -> Any:
    return Duration(_int("Duration::from_millis", ms) * _NS["ms"])


def from_micros(us: Any) -> Any:
    return Duration(_int("Duration::from_micros", us) * _NS["µs"])


def from_nanos(ns: Any) -> Any:
    return Duration(_int("Duration::from_nanos", ns))


def from_secs_f64(s: Any) -> Any:
    if type(s) not in (int, float) or not s >= 0 or s == float("inf"):
        raise RuchyRuntimeError("cannot convert float seconds to Duration: value is "
                                "negative or not finite")
    return Duration(round(s * _NS["s"]))


def new(secs: Any, nanos: Any) -> Any:
    """``Duration::new(secs, nanos)``."""
    return Duration(_int("Duration::new", secs) * _NS["s"] + _int("Duration::new", nanos))


def zero() -> Any:
    return Duration(0)


def _debug(d: Any, alt: bool = False) -> str:
    """Rust's ``{:?}`` of a Duration: the largest unit in which it is at least 1, with
    the exact decimal fraction (trailing zeros dropped)."""
    n = d.f_nanos
    for unit in ("s", "ms", "µs"):
        size = _NS[unit]
        if n >= size:
            whole, frac = divmod(n, size)
            digits = str(frac).rjust(len(str(size)) - 1, "0").rstrip("0")
            return f"{whole}.{digits}{unit}" if digits else f"{whole}{unit}"
    return f"{n}ns"


Duration._debug = _debug


def _sub(a: Any, b: Any) -> Any:
    n = a.f_nanos - _dur("sub", b)
    if n < 0:
        raise RuchyRuntimeError("overflow when subtracting durations")
    return Duration(n)


def _mul(a: Any, k: Any) -> Any:
    return Duration(a.f_nanos * _int("mul", k))


def _div(a: Any, k: Any) -> Any:
    if _int("div", k) == 0:
        raise RuchyRuntimeError("divide by zero error when dividing duration by scalar")
    return Duration(a.f_nanos // k)


Duration._op_add = lambda a, b: Duration(a.f_nanos + _dur("add", b))
Duration._op_sub, Duration._op_mul, Duration._op_div = _sub, _mul, _div


def _checked_sub(a: Any, b: Any) -> Any:
    from .aggregates import NONE, Some
    n = a.f_nanos - _dur("checked_sub", b)
    return Some(Duration(n)) if n >= 0 else NONE


register(Duration, {
    "as_secs": lambda d: d.f_nanos // _NS["s"],
    "as_millis": lambda d: d.f_nanos // _NS["ms"],
    "as_micros": lambda d: d.f_nanos // _NS["µs"],
    "as_nanos": lambda d: d.f_nanos,
    "as_secs_f64": lambda d: d.f_nanos / _NS["s"],
    "as_secs_f32": lambda d: d.f_nanos / _NS["s"],
    "as_millis_f64": lambda d: d.f_nanos / _NS["ms"],
    "subsec_nanos": lambda d: d.f_nanos % _NS["s"],
    "subsec_micros": lambda d: d.f_nanos % _NS["s"] // _NS["µs"],
    "subsec_millis": lambda d: d.f_nanos % _NS["s"] // _NS["ms"],
    "is_zero": lambda d: d.f_nanos == 0,
    "checked_sub": _checked_sub,
    "saturating_sub": lambda a, b: Duration(max(0, a.f_nanos - _dur("saturating_sub", b))),
    "mul_f64": lambda d, k: Duration(round(d.f_nanos * k)),
})


# ---- Instant --------------------------------------------------------------------

def now() -> Any:
    """``Instant::now()``."""
    return Instant(_time.perf_counter_ns())


def _since(a: Any, b: Any) -> Any:
    if type(b) is not type(a):
        raise RuchyRuntimeError(f"type error: duration_since() expects an {type(a)._name}, "
                                f"found {kind(b)}")
    return Duration(max(0, a.f_t - b.f_t))  # Rust saturates at zero for Instants


Instant._op_sub = lambda a, b: (_since(a, b) if type(b) is Instant
                                else Instant(a.f_t - _dur("sub", b)))
Instant._op_add = lambda a, b: Instant(a.f_t + _dur("add", b))
Instant._debug = lambda i, alt=False: f"Instant {{ t: {i.f_t}ns }}"

register(Instant, {
    "elapsed": lambda i: Duration(max(0, _time.perf_counter_ns() - i.f_t)),
    "duration_since": _since,
    "saturating_duration_since": _since,
})


# ---- SystemTime -----------------------------------------------------------------

#: ``std::time::UNIX_EPOCH`` (``SystemTime::UNIX_EPOCH``).
UNIX_EPOCH = SystemTime(0)


def system_now() -> Any:
    """``SystemTime::now()``."""
    return SystemTime(_time.time_ns())


def _sys_since(a: Any, b: Any) -> Any:
    """``a.duration_since(b)``: ``Ok(d)``, or ``Err`` when ``b`` is later."""
    if type(b) is not SystemTime:
        raise RuchyRuntimeError(f"type error: duration_since() expects a SystemTime, "
                                f"found {kind(b)}")
    n = a.f_t - b.f_t
    return Ok(Duration(n)) if n >= 0 else Err("second time provided was later than self")


SystemTime._debug = lambda s, alt=False: (
    f"SystemTime {{ tv_sec: {s.f_t // _NS['s']}, tv_nsec: {s.f_t % _NS['s']} }}")
SystemTime._op_add = lambda a, b: SystemTime(a.f_t + _dur("add", b))

register(SystemTime, {
    "duration_since": _sys_since,
    "elapsed": lambda s: _sys_since(system_now(), s),
})


# ---- the reference's plain functions --------------------------------------------

def timestamp() -> int:
    """``timestamp()`` / ``get_time_ms()``: milliseconds since the Unix epoch."""
    return _time.time_ns() // _NS["ms"]


def sleep(d: Any) -> None:
    """``std::thread::sleep(duration)``, or the reference's ``sleep(ms)``."""
    if type(d) is Duration:
        _time.sleep(d.f_nanos / _NS["s"])
    elif type(d) in (int, float) and d >= 0:
        _time.sleep(d / 1000)
    else:
        raise RuchyRuntimeError(f"type error: sleep() expects a Duration or milliseconds, "
                                f"found {kind(d)}")
