"""``Vec`` methods beyond Level 2's (``get``, ``swap``, ``dedup``, ``drain``, ``extend``,
``truncate``, ``split_off``, ``resize``...), on runtime/values.Arr; registered by
runtime/collection_methods.py (each dispatching on the receiver's type).

A method that changes the array makes its list private first (``own``: copy on write);
elements stored are copies (``held``). ``get_mut``/``first_mut``/``last_mut`` hand out
an element that is an object (a struct, an array) itself; a number element has no
place of its own in a Python list, so those are a runtime error naming the way that
works (``v[i] += 1``).
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Some
from .iterators import Iter, py_iter
from .values import Arr, cp, kind, own


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


def _held(v: Any) -> Any:
    from .aggregates import IMMUTABLE
    return v if type(v) in IMMUTABLE else cp(v)


def _int(name: str, i: Any) -> int:
    if type(i) is not int:
        raise _err(f"type error: {name}() expects an int, found {kind(i)}")
    return i


def get(a: Arr, i: Any) -> Any:
    if type(i) is not int:
        from .iterators import RangeIter
        if type(i) is RangeIter:  # v.get(1..3): Some(slice) when in bounds
            from .strings_mut import slice_
            try:
                return Some(slice_(a, i.f_start, i.f_end, i.incl))
            except RuchyRuntimeError:
                return NONE
        _int("get", i)
    return Some(a.d[i]) if 0 <= i < len(a.d) else NONE


def _object_place(a: Arr, i: int, name: str) -> Any:
    from .collections import is_object
    d = own(a).d
    x = d[i]
    if not is_object(x):
        raise _err(f"{name}() gives a place only for an element that is a struct, an enum "
                   f"value or a collection, not {kind(x)}: index the Vec instead (v[i] += 1)")
    return Some(x)


def get_mut(a: Arr, i: Any) -> Any:
    return _object_place(a, i, "get_mut") if 0 <= _int("get_mut", i) < len(a.d) else NONE


def first_mut(a: Arr) -> Any:
    return _object_place(a, 0, "first_mut") if a.d else NONE


def last_mut(a: Arr) -> Any:
    return _object_place(a, len(a.d) - 1, "last_mut") if a.d else NONE


def swap(a: Arr, i: Any, j: Any) -> None:
    d = a.d
    n = len(d)
    if not (0 <= _int("swap", i) < n and 0 <= _int("swap", j) < n):
        raise _err("index out of bounds")
    d = own(a).d
    d[i], d[j] = d[j], d[i]


def dedup(a: Arr) -> None:
    from .ops import eq
    d = own(a).d
    out: list = []
    for x in d:
        if not out or not eq(out[-1], x):
            out.append(x)
    d[:] = out


def drain(a: Arr, r: Any = None) -> Iter:
    """``v.drain(..)``/``v.drain(a..b)``: the elements leave ``v`` now (as Rust's
    Drain, even if the iterator is not consumed)."""
    d = own(a).d
    if r is None:
        i, j = 0, len(d)
    else:
        from .strings_mut import slice_
        i = r.f_start or 0
        j = i + len(slice_(a, r.f_start, r.f_end, r.incl).d)
    xs = d[i:j]
    del d[i:j]
    return Iter(iter(xs), xs.__reversed__, len(xs))


def split_off(a: Arr, at: Any) -> Arr:
    d = own(a).d
    if not 0 <= _int("split_off", at) <= len(d):
        raise _err("index out of bounds")
    tail = d[at:]
    del d[at:]
    return Arr(tail)


def resize(a: Arr, n: Any, v: Any) -> None:
    d = own(a).d
    if _int("resize", n) < 0:
        raise _err("negative length")
    del d[n:]
    while len(d) < n:
        d.append(_held(v))


def fill(a: Arr, v: Any) -> None:
    d = own(a).d
    for i in range(len(d)):
        d[i] = _held(v)


def extend(a: Arr, items: Any) -> None:
    xs = [_held(x.v if type(x) is Cell else x) for x in py_iter(items)]
    own(a).d.extend(xs)


def append(a: Arr, other: Any) -> None:
    """``a.append(&mut b)``: b's elements move to the end of a; b is left empty."""
    if type(other) is not Arr:
        from .collections import VecDeque
        if type(other) is VecDeque:
            xs = list(other.r())
            other.w().clear()
            own(a).d.extend(xs)
            return
        raise _err(f"type error: append() expects a Vec, found {kind(other)}")
    xs = list(other.d)
    own(other).d.clear()
    own(a).d.extend(xs)


def truncate(a: Arr, n: Any) -> None:
    if _int("truncate", n) < len(a.d):
        del own(a).d[max(n, 0):]


def clear(a: Arr) -> None:
    own(a).d.clear()


def split_at(a: Arr, i: Any) -> tuple:
    if not 0 <= _int("split_at", i) <= len(a.d):
        raise _err("index out of bounds")
    return Arr([cp(x) for x in a.d[:i]]), Arr([cp(x) for x in a.d[i:]])


def split_first(a: Arr) -> Any:
    if not a.d:
        return NONE
    return Some((a.d[0], Arr([cp(x) for x in a.d[1:]])))


def split_last(a: Arr) -> Any:
    if not a.d:
        return NONE
    return Some((a.d[-1], Arr([cp(x) for x in a.d[:-1]])))


def _seq(name: str, b: Any) -> list:
    if type(b) is Cell:
        b = b.v
    if type(b) is not Arr:
        raise _err(f"type error: {name}() expects a slice, found {kind(b)}")
    return b.d


def starts_with(a: Arr, b: Any) -> bool:
    from .ops import eq
    p = _seq("starts_with", b)
    return len(p) <= len(a.d) and all(eq(x, y) for x, y in zip(a.d, p))


def ends_with(a: Arr, b: Any) -> bool:
    from .ops import eq
    p = _seq("ends_with", b)
    return len(p) <= len(a.d) and all(eq(x, y) for x, y in zip(a.d[len(a.d) - len(p):], p))


def swap_remove(a: Arr, i: Any) -> Any:
    d = own(a).d
    if not 0 <= _int("swap_remove", i) < len(d):
        raise _err("index out of bounds")
    d[i], d[-1] = d[-1], d[i]
    return d.pop()


def rotate_left(a: Arr, k: Any) -> None:
    d = own(a).d
    if not 0 <= _int("rotate_left", k) <= len(d):
        raise _err("rotate_left: amount out of bounds")
    d[:] = d[k:] + d[:k]


def rotate_right(a: Arr, k: Any) -> None:
    d = own(a).d
    if not 0 <= _int("rotate_right", k) <= len(d):
        raise _err("rotate_right: amount out of bounds")
    d[:] = d[len(d) - k:] + d[:len(d) - k]


def is_sorted(a: Arr) -> bool:
    from .ops import cmp
    return all(cmp("<=", x, y) in (-1, 0) for x, y in zip(a.d, a.d[1:]))


def to_vec(a: Arr) -> Arr:
    return cp(a)


def repeat(a: Arr, n: Any) -> Arr:
    if _int("repeat", n) < 0:
        raise _err("negative repeat count")
    return Arr([cp(x) for _ in range(n) for x in a.d])


def copy_from_slice(a: Arr, b: Any) -> None:
    src = _seq("copy_from_slice", b)
    if len(src) != len(a.d):
        raise _err("copy_from_slice: source slice length does not match destination "
                   f"({len(src)} vs {len(a.d)})")
    own(a).d[:] = [_held(x) for x in src]


def chunks_exact(a: Arr, n: Any) -> Arr:
    if _int("chunks_exact", n) <= 0:
        raise _err("chunk size must be non-zero")
    k = len(a.d) // n * n
    return Arr([Arr([cp(x) for x in a.d[i:i + n]]) for i in range(0, k, n)])


def _same(a: Arr) -> Arr:
    return a


def _unit(a: Arr, *args: Any) -> None:
    return None


VEC: dict[str, Callable[..., Any]] = {
    "get": get, "get_mut": get_mut, "first_mut": first_mut, "last_mut": last_mut,
    "swap": swap, "dedup": dedup, "drain": drain, "split_off": split_off, "resize": resize,
    "fill": fill, "extend": extend, "extend_from_slice": extend, "append": append,
    "truncate": truncate, "clear": clear, "split_at": split_at, "split_first": split_first,
    "split_last": split_last, "starts_with": starts_with, "ends_with": ends_with,
    "swap_remove": swap_remove, "rotate_left": rotate_left, "rotate_right": rotate_right,
    "is_sorted": is_sorted, "to_vec": to_vec, "repeat": repeat,
    "copy_from_slice": copy_from_slice, "clone_from_slice": copy_from_slice,
    "chunks_exact": chunks_exact, "as_slice": _same, "as_mut_slice": _same,
    "into_boxed_slice": _same, "capacity": lambda a: len(a.d),
    "reserve": lambda a, n: None, "shrink_to_fit": _unit,
}

#: Methods here that change their receiver.
MUTATING = frozenset({"get_mut", "first_mut", "last_mut", "swap", "dedup", "drain",
                      "split_off", "resize", "fill", "extend", "extend_from_slice",
                      "append", "truncate", "clear", "swap_remove", "rotate_left",
                      "rotate_right", "copy_from_slice", "clone_from_slice",
                      "sort_unstable"})
