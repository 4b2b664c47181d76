"""The methods of Option and Result (``unwrap``, ``map``, ``ok_or``, ...).

Option and Result are the built-in enums of runtime/aggregates.py: ``Some(x)`` and
``Ok(x)``/``Err(e)`` keep their payload in ``f_0``; ``None`` is the one instance
``NONE``. Methods are looked up by name (runtime/methods.METHODS): :func:`install` adds
these, and where a name is already taken (``map`` of an iterator, ``take``...) the
method is chosen by the receiver's type at run time.

A function argument (``map(f)``, ``unwrap_or_else(f)``) is any Python callable: a
named function or a closure as tier 0 makes them.

``unwrap_or_default`` needs the payload type's default, which a dynamic value does not
carry: the translator passes it from a type annotation when one is in sight
(interp/conditional.default_of), and it is ``0`` otherwise.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Err, Ok, Some, Variant
from .values import debug, kind


def _bad(name: str, v: Any) -> RuchyRuntimeError:
    return RuchyRuntimeError(f"type error: no method '{name}' on {kind(v)}")


def is_option(v: Any) -> bool:
    return type(v) is Some or v is NONE


def is_result(v: Any) -> bool:
    t = type(v)
    return t is Ok or t is Err


def is_some(v: Any) -> bool:
    if type(v) is Some:
        return True
    if v is NONE:
        return False
    raise _bad("is_some", v)


def is_none(v: Any) -> bool:
    return not is_some(v)


def is_ok(v: Any) -> bool:
    t = type(v)
    if t is Ok:
        return True
    if t is Err:
        return False
    raise _bad("is_ok", v)


def is_err(v: Any) -> bool:
    return not is_ok(v)


def unwrap(v: Any) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v.f_0
    if v is NONE:
        raise RuchyRuntimeError("called `Option::unwrap()` on a `None` value")
    if t is Err:
        raise RuchyRuntimeError(f"called `Result::unwrap()` on an `Err` value: {debug(v.f_0)}")
    raise _bad("unwrap", v)


def expect(v: Any, msg: Any) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v.f_0
    if v is NONE:
        raise RuchyRuntimeError(f"{msg}")
    if t is Err:
        raise RuchyRuntimeError(f"{msg}: {debug(v.f_0)}")
    raise _bad("expect", v)


def unwrap_err(v: Any) -> Any:
    t = type(v)
    if t is Err:
        return v.f_0
    if t is Ok:
        raise RuchyRuntimeError(f"called `Result::unwrap_err()` on an `Ok` value: "
                                f"{debug(v.f_0)}")
    raise _bad("unwrap_err", v)


def expect_err(v: Any, msg: Any) -> Any:
    if type(v) is Err:
        return v.f_0
    if type(v) is Ok:
        raise RuchyRuntimeError(f"{msg}: {debug(v.f_0)}")
    raise _bad("expect_err", v)


def _check(name: str, v: Any) -> None:
    if not (is_option(v) or is_result(v)):
        raise _bad(name, v)


def unwrap_or(v: Any, default: Any) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v.f_0
    _check("unwrap_or", v)
    return default


def unwrap_or_else(v: Any, f: Callable) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v.f_0
    if v is NONE:
        return f()
    if t is Err:
        return f(v.f_0)
    raise _bad("unwrap_or_else", v)


def unwrap_or_default(v: Any, default: Any = 0) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v.f_0
    _check("unwrap_or_default", v)
    return default


def map_(v: Any, f: Callable) -> Any:
    t = type(v)
    if t is Some:
        return Some(f(v.f_0))
    if t is Ok:
        return Ok(f(v.f_0))
    _check("map", v)
    return v


def map_err(v: Any, f: Callable) -> Any:
    if type(v) is Err:
        return Err(f(v.f_0))
    _check("map_err", v)
    return v


def map_or(v: Any, default: Any, f: Callable) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return f(v.f_0)
    _check("map_or", v)
    return default


def map_or_else(v: Any, fd: Callable, f: Callable) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return f(v.f_0)
    if t is Err:
        return fd(v.f_0)
    _check("map_or_else", v)
    return fd()


def and_then(v: Any, f: Callable) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return f(v.f_0)
    _check("and_then", v)
    return v


def or_else(v: Any, f: Callable) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v
    if t is Err:
        return f(v.f_0)
    _check("or_else", v)
    return f()


def and_(v: Any, other: Any) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return other
    _check("and", v)
    return v


def or_(v: Any, other: Any) -> Any:
    t = type(v)
    if t is Some or t is Ok:
        return v
    _check("or", v)
    return other


def xor(v: Any, other: Any) -> Any:
    a, b = is_some(v), is_some(other)
    return v if a and not b else other if b and not a else NONE


def filter_(v: Any, pred: Callable) -> Any:
    if type(v) is Some:
        return v if pred(v.f_0) is True else NONE
    if v is NONE:
        return v
    raise _bad("filter", v)


def ok_or(v: Any, e: Any) -> Any:
    if type(v) is Some:
        return Ok(v.f_0)
    if v is NONE:
        return Err(e)
    raise _bad("ok_or", v)


def ok_or_else(v: Any, f: Callable) -> Any:
    if type(v) is Some:
        return Ok(v.f_0)
    if v is NONE:
        return Err(f())
    raise _bad("ok_or_else", v)


def ok(v: Any) -> Any:
    t = type(v)
    if t is Ok:
        return Some(v.f_0)
    if t is Err:
        return NONE
    raise _bad("ok", v)


def err(v: Any) -> Any:
    t = type(v)
    if t is Err:
        return Some(v.f_0)
    if t is Ok:
        return NONE
    raise _bad("err", v)


def is_some_and(v: Any, pred: Callable) -> bool:
    return is_some(v) and pred(v.f_0) is True


def is_ok_and(v: Any, pred: Callable) -> bool:
    return is_ok(v) and pred(v.f_0) is True


def is_none_or(v: Any, pred: Callable) -> bool:
    return is_none(v) or pred(v.f_0) is True


def flatten(v: Any) -> Any:
    if type(v) is Some:
        return v.f_0
    if v is NONE:
        return v
    raise _bad("flatten", v)


def same(v: Any) -> Any:
    """``as_ref``, ``as_mut``, ``as_deref``, ``cloned``, ``copied``: references are
    values here, so these give the value itself."""
    _check("as_ref", v)
    return v


def unwrap_unchecked(v: Any) -> Any:
    return unwrap(v)


def zip_(v: Any, other: Any) -> Any:
    if type(v) is Some and type(other) is Some:
        return Some((v.f_0, other.f_0))
    if is_option(v) and is_option(other):
        return NONE
    raise _bad("zip", v)


#: name -> implementation, for Option and Result receivers.
OPTION_METHODS: dict[str, Callable] = {
    "is_some": is_some, "is_none": is_none, "is_ok": is_ok, "is_err": is_err,
    "unwrap": unwrap, "expect": expect, "unwrap_err": unwrap_err, "expect_err": expect_err,
    "unwrap_or": unwrap_or, "unwrap_or_else": unwrap_or_else,
    "unwrap_or_default": unwrap_or_default, "unwrap_unchecked": unwrap_unchecked,
    "map": map_, "map_err": map_err, "map_or": map_or, "map_or_else": map_or_else,
    "and_then": and_then, "or_else": or_else, "and": and_, "or": or_, "xor": xor,
    "filter": filter_, "ok_or": ok_or, "ok_or_else": ok_or_else, "ok": ok, "err": err,
    "is_some_and": is_some_and, "is_ok_and": is_ok_and, "is_none_or": is_none_or,
    "flatten": flatten, "zip": zip_,
    "as_ref": same, "as_mut": same, "as_deref": same, "as_deref_mut": same,
    "cloned": same, "copied": same,
}


def _dispatch(name: str, mine: Callable, other: Callable) -> Callable:
    """A method that is ours on an Option/Result receiver and ``other``'s otherwise."""
    def method(recv: Any, *args: Any) -> Any:
        if isinstance(recv, Variant) and recv._enum in ("Option", "Result"):
            return mine(recv, *args)
        return other(recv, *args)
    method.__name__ = name
    return method


def install(methods: dict[str, Callable]) -> None:
    """Add the Option/Result methods to a name -> method table (runtime/methods.py);
    a name that is taken dispatches on the receiver's type."""
    for name, f in OPTION_METHODS.items():
        prev = methods.get(name)
        methods[name] = f if prev is None or prev is f else _dispatch(name, f, prev)
