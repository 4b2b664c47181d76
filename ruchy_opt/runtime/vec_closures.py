"""The Vec methods that take closures (``sort_by``, ``sort_by_key``, ``retain``,
``dedup_by_key``...), ``binary_search``, ``windows``/``chunks``, and the Ordering methods
sort closures chain (``then``, ``reverse``); registered by runtime/iter_consumers.py."""
from __future__ import annotations

import functools
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from . import ops
from .aggregates import EQUAL, GREATER, IMMUTABLE, LESS, Cell, Char, Err, Ok
from .arity import declare, method_arity, widest
from .values import Arr, cp, debug, kind, own

_END = object()


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


def _held(x: Any) -> Any:
    return x if type(x) in IMMUTABLE else cp(x)


def ordering_int(o: Any, what: str) -> int:
    """-1, 0 or 1 for an Ordering a closure returned."""
    if o is LESS:
        return -1
    if o is EQUAL:
        return 0
    if o is GREATER:
        return 1
    raise _err(f"type error: {what}'s closure must return an Ordering, found {kind(o)}")


# ---- Vec methods with closures -------------------------------------------------------

def _vec(name: str, a: Any) -> list:
    if type(a) is Cell:
        a = a.v
    if type(a) is not Arr:
        raise _err(f"type error: no method '{name}' on {kind(a)}")
    return own(a).d


class _Key:
    """A sort key ordered as Ruchy orders values (runtime/ops.cmp)."""

    __slots__ = ("k",)

    def __init__(self, k: Any) -> None:
        self.k = k

    def __lt__(self, other: "_Key") -> bool:
        return ops.cmp("<", self.k, other.k) == -1


_NATIVE_KEYS = frozenset({int, str, Char, bool})


def _native(keys: list) -> bool:
    """Whether Python orders ``keys`` as Ruchy does: all of one type that Python orders
    as Ruchy (ints, strings, chars or bools: no NaN), or all tuples of one length whose
    elements at each position are all of one such type (compared lexicographically by
    both)."""
    if not keys:
        return True
    k0 = keys[0]
    t = type(k0)
    if t in _NATIVE_KEYS:
        return all(type(k) is t for k in keys)
    if t is not tuple or not all(type(k) is tuple and len(k) == len(k0) for k in keys):
        return False
    return all(type(x) in _NATIVE_KEYS and {type(k[i]) for k in keys} == {type(x)}
               for i, x in enumerate(k0))


def sort_by_key(a: Any, f: Callable) -> None:
    d = _vec("sort_by_key", a)
    keys = [f(x) for x in d]
    if _native(keys):
        order = sorted(range(len(d)), key=keys.__getitem__)
    else:
        wrapped = [_Key(k) for k in keys]
        order = sorted(range(len(d)), key=wrapped.__getitem__)
    d[:] = [d[i] for i in order]


def sort_by(a: Any, f: Callable) -> None:
    d = _vec("sort_by", a)

    def compare(x: Any, y: Any) -> int:  # (ordering_int inlined: one call less each)
        o = f(x, y)
        if o is LESS:
            return -1
        if o is GREATER:
            return 1
        return ordering_int(o, "sort_by")
    d.sort(key=functools.cmp_to_key(compare))


def retain(a: Any, p: Callable) -> None:
    d = _vec("retain", a)
    d[:] = [x for x in d if p(x) is True]


def dedup_by_key(a: Any, f: Callable) -> None:
    d = _vec("dedup_by_key", a)
    out, prev = [], _END
    for x in d:
        k = f(x)
        if prev is _END or not ops.eq(k, prev):
            out.append(x)
        prev = k
    d[:] = out


def dedup_by(a: Any, f: Callable) -> None:
    d = _vec("dedup_by", a)
    out: list = []
    for x in d:
        if not out or f(x, out[-1]) is not True:
            out.append(x)
    d[:] = out


def binary_search(a: Any, x: Any) -> Any:
    d = a.v.d if type(a) is Cell else a.d
    lo, hi = 0, len(d)
    while lo < hi:
        mid = (lo + hi) // 2
        c = ops.cmp("binary_search", d[mid], x)
        if c == 0:
            return Ok(mid)
        if c < 0:
            lo = mid + 1
        else:
            hi = mid
    return Err(lo)


def binary_search_by_key(a: Any, key: Any, f: Callable) -> Any:
    d = a.d
    lo, hi = 0, len(d)
    while lo < hi:
        mid = (lo + hi) // 2
        c = ops.cmp("binary_search_by_key", f(d[mid]), key)
        if c == 0:
            return Ok(mid)
        lo, hi = (mid + 1, hi) if c < 0 else (lo, mid)
    return Err(lo)


def _pieces(name: str, a: Any, k: Any, step: bool) -> Arr:
    if type(k) is not int or k <= 0:
        raise _err(f"{name} size must be positive, found {debug(k)}")
    d = a.v.d if type(a) is Cell else a.d
    if step:  # chunks
        return Arr([Arr([_held(x) for x in d[i:i + k]]) for i in range(0, len(d), k)])
    return Arr([Arr([_held(x) for x in d[i:i + k]]) for i in range(len(d) - k + 1)])


def windows(a: Any, k: Any) -> Arr:
    return _pieces("window", a, k, False)


def chunks(a: Any, k: Any) -> Arr:
    return _pieces("chunk", a, k, True)


# ---- Ordering methods (what sort_by closures chain) -----------------------------------

def _then(o: Any, other: Any) -> Any:
    return other if o is EQUAL else o


def _then_with(o: Any, f: Callable) -> Any:
    return f() if o is EQUAL else o


def _reverse(o: Any) -> Any:
    return GREATER if o is LESS else LESS if o is GREATER else o


ORDERING_METHODS: dict[str, Callable[..., Any]] = {
    "then": _then, "then_with": _then_with, "reverse": _reverse,
    "is_lt": lambda o: o is LESS, "is_le": lambda o: o is not GREATER,
    "is_gt": lambda o: o is GREATER, "is_ge": lambda o: o is not LESS,
    "is_eq": lambda o: o is EQUAL, "is_ne": lambda o: o is not EQUAL,
}


def on_ordering(name: str, mine: Callable[..., Any], prev: Any) -> Callable[..., Any]:
    """Method ``name`` on an Ordering (``prev``'s on anything else)."""
    def method(recv: Any, *args: Any) -> Any:
        if recv is LESS or recv is EQUAL or recv is GREATER:
            return mine(recv, *args)
        if prev is None:
            raise _err(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)
    method.__name__ = name
    declare(method, lambda: widest(method_arity(mine), prev))
    return method
